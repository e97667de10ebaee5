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

    assertThat(specs).hasSize(5);
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
    assertThat(specs.subList(1, 4)).allSatisfy(spec -> assertThat(spec.required()).isEmpty());
    TopicSpec inbox = specs.get(3);
    assertThat(inbox.name()).isEqualTo("accounts.inbox");
    assertThat(inbox.configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", Long.toString(java.time.Duration.ofDays(7).toMillis()));
    TopicSpec subjects = specs.get(4);
    assertThat(subjects.name()).isEqualTo("subjects.events");
    assertThat(subjects.configs()).isEqualTo(events.configs());
    assertThat(subjects.required()).isEqualTo(events.required());
  }
}
