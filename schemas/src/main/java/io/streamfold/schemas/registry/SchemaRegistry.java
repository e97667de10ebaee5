package io.streamfold.schemas.registry;

import io.streamfold.schemas.compat.CompatibilityLevel;
import java.util.List;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/** The part of the Confluent Schema Registry API that producers, consumers and operators need. */
public interface SchemaRegistry {

  /**
   * Registers {@code schema} under {@code subject} (idempotent: an identical schema keeps its id).
   *
   * @return the schema's global id
   * @throws IncompatibleSchemaException when the subject's compatibility level refuses it
   */
  int register(String subject, Schema schema);

  /** The id of {@code schema} if it is registered under {@code subject}. */
  OptionalInt lookup(String subject, Schema schema);

  /**
   * The schema with this global id.
   *
   * @throws SchemaNotFoundException when the registry has no such id
   */
  Schema schemaById(int id);

  /**
   * Whether {@code schema} could be registered under {@code subject} now, with the reasons if not.
   */
  CompatibilityCheck testCompatibility(String subject, Schema schema);

  /** The subject's compatibility level, or the global one when the subject has none of its own. */
  CompatibilityLevel compatibility(String subject);

  /** Sets the subject's own compatibility level. */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** The result of a compatibility test. */
  record CompatibilityCheck(boolean compatible, List<String> messages) {}
}
