package io.streamfold.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.service.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandServiceConfigTest {
  static final Map<String, String> MINIMAL =
      Map.of(
          "KAFKA_BOOTSTRAP_SERVERS",
          "k:9092",
          "SCHEMA_REGISTRY_URL",
          "http://r:8080/apis/ccompat/v7",
          "KEY_ENCRYPTION_KEY",
          "dGVzdHMtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=");

  @Test
  void shouldApplyDefaults() {
    CommandServiceConfig config = CommandServiceConfig.fromEnv(MINIMAL);

    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.advertisedServer()).isEqualTo("127.0.0.1:8080");
    assertThat(config.partitions()).isEqualTo(6);
    assertThat(config.lanes()).isEqualTo(1);
    assertThat(config.idempotencyWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(config.clientProperties()).containsEntry("bootstrap.servers", "k:9092");
  }

  @Test
  void shouldNameTheVariableThatIsMissingOrWrong() {
    assertThatThrownBy(
            () -> CommandServiceConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SCHEMA_REGISTRY_URL");
    assertThatThrownBy(() -> CommandServiceConfig.fromEnv(with("SCHEMA_REGISTRY_URL", "r:8080")))
        .hasMessageContaining("SCHEMA_REGISTRY_URL must be an http(s) URL");
    assertThatThrownBy(() -> CommandServiceConfig.fromEnv(with("APPLICATION_SERVER", "http://x:1")))
        .hasMessageContaining("APPLICATION_SERVER");
    assertThatThrownBy(() -> CommandServiceConfig.fromEnv(with("IDEMPOTENCY_WINDOW", "a day")))
        .hasMessageContaining("IDEMPOTENCY_WINDOW");
    assertThatThrownBy(() -> CommandServiceConfig.fromEnv(with("WRITER_LANES", "0")))
        .hasMessageContaining("WRITER_LANES");
    assertThat(CommandServiceConfig.fromEnv(with("WRITER_LANES", "4")).lanes()).isEqualTo(4);
  }

  @Test
  void shouldAskForTwoInSyncReplicasWhereTheReplicationAllowsIt() {
    assertThat(CommandServiceConfig.fromEnv(MINIMAL).minInsyncReplicas()).isEqualTo((short) 1);
    assertThat(
            CommandServiceConfig.fromEnv(with("TOPIC_REPLICATION_FACTOR", "3")).minInsyncReplicas())
        .isEqualTo((short) 2);
    var three = new java.util.HashMap<>(with("TOPIC_REPLICATION_FACTOR", "3"));
    three.put("TOPIC_MIN_ISR", "3");
    assertThat(CommandServiceConfig.fromEnv(three).minInsyncReplicas()).isEqualTo((short) 3);
    three.put("TOPIC_MIN_ISR", "4");
    assertThatThrownBy(() -> CommandServiceConfig.fromEnv(three))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOPIC_MIN_ISR must be between 1 and 3");
  }

  private static Map<String, String> with(String name, String value) {
    var env = new java.util.HashMap<>(MINIMAL);
    env.put(name, value);
    return env;
  }
}
