package io.streamfold.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.service.kafka.TopicSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTopicsTest {
  @Test
  void shouldGiveEveryTopicTheMinimumInSyncReplicasAndRequireTheLogToBeKeptForever() {
    CommandServiceConfig config =
        CommandServiceConfig.fromEnv(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "SCHEMA_REGISTRY_URL", "http://r:8080/apis/ccompat/v7",
                "KEY_ENCRYPTION_KEY", "dGVzdHMtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=",
                "TOPIC_REPLICATION_FACTOR", "3"));

    List<TopicSpec> specs = CommandTopics.specs(Topics.of("", "accounts"), config);

    assertThat(specs).hasSize(4);
    assertThat(specs)
        .allSatisfy(
            spec -> {
              assertThat(spec.replication()).isEqualTo((short) 3);
              assertThat(spec.configs()).containsEntry("min.insync.replicas", "2");
            });
    TopicSpec events = specs.get(0);
    assertThat(events.name()).isEqualTo("accounts.events");
    assertThat(events.required())
        .containsExactlyInAnyOrder("cleanup.policy", "retention.ms", "retention.bytes");
    assertThat(events.configs())
        .containsEntry("retention.ms", "-1")
        .containsEntry("retention.bytes", "-1");
    assertThat(specs.subList(1, 3)).allSatisfy(spec -> assertThat(spec.required()).isEmpty());
    TopicSpec subjects = specs.get(3);
    assertThat(subjects.name()).isEqualTo("subjects.events");
    assertThat(subjects.configs()).isEqualTo(events.configs());
    assertThat(subjects.required()).isEqualTo(events.required());
  }
}
