package io.streamfold.schemas.registry;

import io.streamfold.schemas.compat.CompatibilityLevel;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * Caches ids and schemas (both immutable once assigned) so that after the first record of a schema
 * no call reaches the registry. Compatibility queries are not cached. The registry is called
 * outside the maps' locks (a slow registry holds only the threads that need that entry), and once
 * per entry at a time: threads missing the same entry together wait for the one call (registering
 * one schema twice at once makes Apicurio refuse the second as a conflict).
 */
public final class CachedSchemaRegistry implements SchemaRegistry {
  private final SchemaRegistry delegate;
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Object, CompletableFuture<Object>> calls = new ConcurrentHashMap<>();

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
    return once(
        key,
        () -> {
          int id = remember(delegate.register(subject, schema), schema);
          ids.putIfAbsent(key, id);
          return id;
        });
  }

  /**
   * Runs {@code call} for {@code key} unless a call for it is under way, in which case waits for
   * that one's answer (or its exception).
   */
  @SuppressWarnings("unchecked")
  private <T> T once(Object key, Supplier<T> call) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> theirs = calls.putIfAbsent(key, mine);
    if (theirs != null) {
      try {
        return (T) theirs.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      T answer = call.get();
      mine.complete(answer);
      return answer;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      calls.remove(key, mine);
    }
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
    return once(
        id,
        () -> {
          Schema fetched = delegate.schemaById(id);
          Schema raced = schemas.putIfAbsent(id, fetched);
          return raced == null ? fetched : raced;
        });
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
