package io.streamfold.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.topology.ProjectionCounters;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProjectionSettingsTest {
  @Test
  void shouldGiveTheInternalTopicsTheReplicationAndMinimumInSyncReplicas() {
    ProjectionServiceConfig config =
        ProjectionServiceConfig.fromEnv(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "SCHEMA_REGISTRY_URL", "http://r:8080/apis/ccompat/v7",
                "KEY_ENCRYPTION_KEY", "dGVzdHMtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=",
                "TOPIC_REPLICATION_FACTOR", "3"));

    Properties streams = ProjectionSettings.of(config, new ProjectionCounters());

    assertThat(streams).containsEntry("replication.factor", 3);
    assertThat(streams).containsEntry("topic.min.insync.replicas", "2");
    assertThat(streams).containsEntry("statestore.cache.max.bytes", (long) (32 << 20));
  }
}
