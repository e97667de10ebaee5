package io.streamfold.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.schemas.compat.CompatibilityLevel;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SchemaRegistry} must have: run against the real and the in-memory one.
 */
abstract class SchemaRegistryContract {
  static final Schema V1 = record("{\"name\": \"amount\", \"type\": \"long\"}");
  static final Schema V2_WITH_DEFAULT =
      record(
          "{\"name\": \"amount\", \"type\": \"long\"}, {\"name\": \"note\", \"type\": \"string\", \"default\": \"\"}");
  static final Schema V2_WITHOUT_DEFAULT =
      record(
          "{\"name\": \"amount\", \"type\": \"long\"}, {\"name\": \"note\", \"type\": \"string\"}");

  /** Not FORWARD compatible with V2: an old reader needs "amount", which this drops. */
  static final Schema V1_WITH_REQUIRED_NOTE_REMOVED_AMOUNT =
      record("{\"name\": \"note\", \"type\": \"string\"}");

  abstract SchemaRegistry registry();

  static Schema record(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\": \"record\", \"name\": \"Payment\", \"namespace\": \"test\", \"fields\": ["
                + fields
                + "]}");
  }

  static String newSubject() {
    return "contract-" + UUID.randomUUID() + "-value";
  }

  @Test
  void shouldReturnTheSameIdWhenTheSameSchemaIsRegisteredTwice() {
    String subject = newSubject();
    int first = registry().register(subject, V1);

    assertThat(registry().register(subject, V1)).isEqualTo(first);
    assertThat(registry().lookup(subject, V1)).hasValue(first);
    assertThat(registry().schemaById(first)).isEqualTo(V1);
  }

  @Test
  void shouldRejectAnIncompatibleEvolution() {
    String subject = newSubject();
    registry().register(subject, V1);

    assertThat(registry().testCompatibility(subject, V2_WITHOUT_DEFAULT).compatible()).isFalse();
    assertThatThrownBy(() -> registry().register(subject, V2_WITHOUT_DEFAULT))
        .isInstanceOf(IncompatibleSchemaException.class);
    assertThat(registry().lookup(subject, V2_WITHOUT_DEFAULT)).isEmpty();
  }

  @Test
  void shouldAcceptACompatibleEvolution() {
    String subject = newSubject();
    int v1 = registry().register(subject, V1);

    assertThat(registry().testCompatibility(subject, V2_WITH_DEFAULT).compatible()).isTrue();
    int v2 = registry().register(subject, V2_WITH_DEFAULT);

    assertThat(v2).isNotEqualTo(v1);
    assertThat(registry().schemaById(v2)).isEqualTo(V2_WITH_DEFAULT);
  }

  @Test
  void shouldApplyTheSubjectsOwnLevelOverTheGlobalOne() {
    // Adding a field without a default breaks BACKWARD (the global level) but not FORWARD.
    // (Apicurio treats a subject-level NONE as "no rule of its own", so NONE is not used here.)
    String subject = newSubject();
    registry().register(subject, V1);

    registry().setCompatibility(subject, CompatibilityLevel.FORWARD);

    assertThat(registry().compatibility(subject)).isEqualTo(CompatibilityLevel.FORWARD);
    assertThat(registry().register(subject, V2_WITHOUT_DEFAULT)).isPositive();
    assertThatThrownBy(() -> registry().register(subject, V1_WITH_REQUIRED_NOTE_REMOVED_AMOUNT))
        .isInstanceOf(IncompatibleSchemaException.class);
  }

  @Test
  void shouldUseTheGlobalLevelForASubjectWithoutItsOwn() {
    assertThat(registry().compatibility(newSubject())).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void shouldUseTheGlobalLevelForARegisteredSubjectWithoutItsOwn() {
    String subject = newSubject();
    registry().register(subject, V1);

    assertThat(registry().compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void shouldReportAnUnknownId() {
    assertThatThrownBy(() -> registry().schemaById(987_654))
        .isInstanceOf(SchemaNotFoundException.class);
  }

  @Test
  void shouldFindNothingForAnUnregisteredSchema() {
    assertThat(registry().lookup(newSubject(), V1)).isEmpty();
  }
}
