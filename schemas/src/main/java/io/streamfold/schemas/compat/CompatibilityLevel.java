package io.streamfold.schemas.compat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** The compatibility levels of the Confluent Schema Registry API, checked with Avro's rules. */
public enum CompatibilityLevel {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /**
   * Checks a candidate schema against the existing versions of its subject.
   *
   * @param existing the registered versions, oldest first
   * @return every problem found, empty when the candidate is compatible
   */
  public List<SchemaProblem> check(Schema candidate, List<Schema> existing) {
    return check(candidate, existing, 1);
  }

  /**
   * @param firstVersion the version number of {@code existing}'s first schema (the first of its
   *     major version, when earlier majors are read through upcasters)
   */
  public List<SchemaProblem> check(Schema candidate, List<Schema> existing, int firstVersion) {
    if (this == NONE || existing.isEmpty()) {
      return List.of();
    }
    List<Schema> against = transitive() ? existing : List.of(existing.get(existing.size() - 1));
    List<SchemaProblem> problems = new ArrayList<>();
    for (int i = 0; i < against.size(); i++) {
      Schema old = against.get(i);
      int version = firstVersion - 1 + (transitive() ? i + 1 : existing.size());
      if (backward()) {
        problems.addAll(
            problems(candidate, old, version, "new schema cannot read data written with"));
      }
      if (forward()) {
        problems.addAll(
            problems(old, candidate, version, "data written with the new schema is unreadable by"));
      }
    }
    return problems;
  }

  private static List<SchemaProblem> problems(
      Schema reader, Schema writer, int version, String what) {
    List<SchemaProblem> problems = new ArrayList<>();
    collect(reader, writer, reader.getName(), version, what, problems);
    decimals(reader, writer, reader.getName(), version, what, problems, new HashSet<>());
    return problems;
  }

  /**
   * Avro's Java resolution ignores logical types, so it would read a decimal(18,2) as a
   * decimal(20,4) and get 0.1234 for 12.34. The specification says two decimals match only when
   * their scales and precisions do: checked here, field by field, through records, unions, arrays
   * and maps.
   */
  private static void decimals(
      Schema reader,
      Schema writer,
      String where,
      int version,
      String what,
      List<SchemaProblem> out,
      Set<String> seen) {
    if (reader.getType() == Schema.Type.UNION || writer.getType() == Schema.Type.UNION) {
      List<Schema> readers =
          reader.getType() == Schema.Type.UNION ? reader.getTypes() : List.of(reader);
      List<Schema> writers =
          writer.getType() == Schema.Type.UNION ? writer.getTypes() : List.of(writer);
      for (Schema w : writers) {
        for (Schema r : readers) {
          if (r.getType() == w.getType()
              && (r.getType() != Schema.Type.RECORD || r.getFullName().equals(w.getFullName()))) {
            String branch = r.getType() == Schema.Type.RECORD ? "[" + r.getName() + "]" : "";
            decimals(r, w, where + branch, version, what, out, seen);
            break;
          }
        }
      }
      return;
    }
    if (reader.getType() != writer.getType()) {
      return; // Avro's own check reports it
    }
    switch (reader.getType()) {
      case RECORD -> {
        if (!seen.add(reader.getFullName() + "<-" + writer.getFullName() + "@" + where)) {
          return;
        }
        for (Schema.Field field : reader.getFields()) {
          Schema.Field written = writer.getField(field.name());
          if (written == null) {
            for (String alias : field.aliases()) {
              written = written == null ? writer.getField(alias) : written;
            }
          }
          if (written != null) {
            decimals(
                field.schema(),
                written.schema(),
                where + "." + field.name(),
                version,
                what,
                out,
                seen);
          }
        }
      }
      case ARRAY ->
          decimals(
              reader.getElementType(),
              writer.getElementType(),
              where + "[]",
              version,
              what,
              out,
              seen);
      case MAP ->
          decimals(
              reader.getValueType(), writer.getValueType(), where + "{}", version, what, out, seen);
      case BYTES, FIXED -> {
        if (reader.getLogicalType() instanceof LogicalTypes.Decimal r
            && writer.getLogicalType() instanceof LogicalTypes.Decimal w
            && (r.getScale() != w.getScale() || r.getPrecision() != w.getPrecision())) {
          out.add(
              new SchemaProblem(
                  version,
                  "DECIMAL_MISMATCH",
                  where,
                  what
                      + " version "
                      + version
                      + ": decimal("
                      + r.getPrecision()
                      + ","
                      + r.getScale()
                      + ") cannot read decimal("
                      + w.getPrecision()
                      + ","
                      + w.getScale()
                      + "): a change of meaning, which needs a new major version and an upcaster"));
        } else if ((reader.getLogicalType() instanceof LogicalTypes.Decimal)
            != (writer.getLogicalType() instanceof LogicalTypes.Decimal)) {
          out.add(
              new SchemaProblem(
                  version,
                  "DECIMAL_MISMATCH",
                  where,
                  what + " version " + version + ": a decimal and plain bytes do not match"));
        }
      }
      default -> {}
    }
  }

  /**
   * Avro reports a changed record inside a union only as a missing union branch; to name the field
   * that broke, the branch is checked again against the reader's branch of the same name.
   */
  private static void collect(
      Schema reader,
      Schema writer,
      String prefix,
      int version,
      String what,
      List<SchemaProblem> out) {
    for (Incompatibility incompatibility :
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
            .getResult()
            .getIncompatibilities()) {
      String where =
          prefix
              + SchemaPaths.describe(reader, incompatibility.getLocation())
                  .substring(reader.getName().length());
      Schema writerBranch = writerBranch(incompatibility);
      Schema readerBranch =
          writerBranch == null
              ? null
              : sameNamedBranch(incompatibility.getReaderFragment(), writerBranch);
      if (readerBranch != null) {
        String branchPrefix =
            where.endsWith("]") ? where : where + "[" + readerBranch.getName() + "]";
        collect(readerBranch, writerBranch, branchPrefix, version, what, out);
      } else {
        out.add(
            new SchemaProblem(
                version,
                incompatibility.getType().name(),
                where,
                what + " version " + version + ": " + incompatibility.getMessage()));
      }
    }
  }

  /** For a missing union branch: the writer's branch, which Avro names by its index. */
  private static Schema writerBranch(Incompatibility incompatibility) {
    Schema writer = incompatibility.getWriterFragment();
    if (incompatibility.getType()
        != SchemaCompatibility.SchemaIncompatibilityType.MISSING_UNION_BRANCH) {
      return null;
    }
    if (writer.getType() != Schema.Type.UNION) {
      return writer;
    }
    String location = incompatibility.getLocation();
    int index = Integer.parseInt(location.substring(location.lastIndexOf('/') + 1));
    return writer.getTypes().get(index);
  }

  private static Schema sameNamedBranch(Schema readerUnion, Schema writerBranch) {
    if (readerUnion.getType() != Schema.Type.UNION
        || writerBranch.getType() != Schema.Type.RECORD) {
      return null;
    }
    return readerUnion.getTypes().stream()
        .filter(
            branch ->
                branch.getType() == Schema.Type.RECORD
                    && branch.getFullName().equals(writerBranch.getFullName()))
        .findFirst()
        .orElse(null);
  }

  private boolean transitive() {
    return name().endsWith("_TRANSITIVE");
  }

  private boolean backward() {
    return name().startsWith("BACKWARD") || name().startsWith("FULL");
  }

  private boolean forward() {
    return name().startsWith("FORWARD") || name().startsWith("FULL");
  }
}
