package io.streamfold.schemas.registry;

import io.streamfold.schemas.compat.CompatibilityLevel;
import io.streamfold.schemas.compat.SchemaProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * A registry in memory, for topology tests: ids are global and stable per distinct schema, and
 * registration enforces the compatibility level (default {@code BACKWARD}, as we configure the real
 * registry) with Avro's {@code SchemaCompatibility}. Each instance is its own scope; share one
 * instance between the serdes that must agree.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idOf = new HashMap<>();
  private final Map<String, List<Schema>> versions = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private final CompatibilityLevel globalLevel;

  public InMemorySchemaRegistry() {
    this(CompatibilityLevel.BACKWARD);
  }

  public InMemorySchemaRegistry(CompatibilityLevel globalLevel) {
    this.globalLevel = globalLevel;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Schema> existing = versions.computeIfAbsent(subject, s -> new ArrayList<>());
    if (existing.contains(schema)) {
      return idOf.get(schema);
    }
    List<SchemaProblem> problems = compatibility(subject).check(schema, existing);
    if (!problems.isEmpty()) {
      throw new IncompatibleSchemaException(
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\": "
              + problems);
    }
    existing.add(schema);
    return idOf.computeIfAbsent(
        schema,
        s -> {
          int id = byId.size() + 1;
          byId.put(id, s);
          return id;
        });
  }

  @Override
  public synchronized OptionalInt lookup(String subject, Schema schema) {
    List<Schema> existing = versions.getOrDefault(subject, List.of());
    return existing.contains(schema) ? OptionalInt.of(idOf.get(schema)) : OptionalInt.empty();
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException("Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized CompatibilityCheck testCompatibility(String subject, Schema schema) {
    List<SchemaProblem> problems =
        compatibility(subject).check(schema, versions.getOrDefault(subject, List.of()));
    return new CompatibilityCheck(
        problems.isEmpty(), problems.stream().map(SchemaProblem::toString).toList());
  }

  @Override
  public synchronized CompatibilityLevel compatibility(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    subjectLevels.put(subject, level);
  }
}
