package io.streamfold.schemas.registry;

import io.streamfold.schemas.compat.CompatibilityLevel;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches ids and schemas (both immutable once assigned) so that after the first record of a schema
 * no call reaches the registry. Compatibility queries are not cached. The registry is called
 * outside the maps' locks: a slow registry holds only the threads that need that schema, and two
 * threads missing the same entry at once may both ask (the answers are the same).
 */
public final class CachedSchemaRegistry implements SchemaRegistry {
  private final SchemaRegistry delegate;
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();

  public CachedSchemaRegistry(SchemaRegistry delegate) {
    this.delegate = delegate;
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = ids.get(key);
    if (cached != null) {
      return cached;
    }
    int id = remember(delegate.register(subject, schema), schema);
    ids.putIfAbsent(key, id);
    return id;
  }

  @Override
  public OptionalInt lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = ids.get(key);
    if (cached != null) {
      return OptionalInt.of(cached);
    }
    OptionalInt found = delegate.lookup(subject, schema);
    found.ifPresent(id -> ids.put(key, remember(id, schema)));
    return found;
  }

  private int remember(int id, Schema schema) {
    schemas.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemas.get(id);
    if (cached != null) {
      return cached;
    }
    Schema fetched = delegate.schemaById(id);
    Schema raced = schemas.putIfAbsent(id, fetched);
    return raced == null ? fetched : raced;
  }

  @Override
  public CompatibilityCheck testCompatibility(String subject, Schema schema) {
    return delegate.testCompatibility(subject, schema);
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    return delegate.compatibility(subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    delegate.setCompatibility(subject, level);
  }

  private record SubjectSchema(String subject, Schema schema) {}
}
