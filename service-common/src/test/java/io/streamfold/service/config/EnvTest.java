package io.streamfold.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
  @Test
  void shouldNameAMissingVariable() {
    assertThatThrownBy(() -> new Env(Map.of()).required("KAFKA_BOOTSTRAP_SERVERS"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void shouldNameAnInvalidNumberAndItsRange() {
    Env env = new Env(Map.of("HTTP_PORT", "eighty", "TOPIC_PARTITIONS", "0"));

    assertThatThrownBy(() -> env.integer("HTTP_PORT", 8080, 0, 65535))
        .hasMessageContaining("HTTP_PORT")
        .hasMessageContaining("eighty");
    assertThatThrownBy(() -> env.integer("TOPIC_PARTITIONS", 6, 1, 100))
        .hasMessageContaining("between 1 and 100");
  }

  @Test
  void shouldReadDurationsAsIsoOrMilliseconds() {
    Env env = new Env(Map.of("A", "PT24H", "B", "250", "C", "soon"));

    assertThat(env.duration("A", Duration.ZERO)).isEqualTo(Duration.ofHours(24));
    assertThat(env.duration("B", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> env.duration("C", Duration.ZERO))
        .hasMessageContaining("C must be an ISO-8601 duration");
  }

  @Test
  void shouldPassKafkaVariablesThroughAsClientProperties() {
    Env env =
        new Env(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "KAFKA_SECURITY_PROTOCOL",
                "SASL_SSL",
                "KAFKA_SASL_MECHANISM",
                "PLAIN",
                "HTTP_PORT",
                "1"));

    assertThat(env.kafkaPassthrough("KAFKA_BOOTSTRAP_SERVERS"))
        .containsOnly(
            Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "PLAIN"));
  }

  @Test
  void shouldRefuseAnythingButTrueOrFalse() {
    assertThatThrownBy(() -> new Env(Map.of("X", "yes")).bool("X", false))
        .hasMessageContaining("X must be true or false");
  }
}
