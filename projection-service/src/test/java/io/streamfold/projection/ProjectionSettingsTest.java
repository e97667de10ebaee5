package io.streamfold.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.topology.ProjectionCounters;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
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

  /** Three stores, one repartition topic: with the dead-letter topic, four topics written. */
  private static TopologyDescription threeStoresAndARepartition() {
    StreamsBuilder builder = new StreamsBuilder();
    var events = builder.stream("events", Consumed.with(Serdes.String(), Serdes.String()));
    events.toTable(Materialized.as("views"));
    events.groupByKey().count(Materialized.as("counts"));
    events
        .repartition(Repartitioned.as("by-owner"))
        .groupByKey()
        .count(Materialized.as("by-owner-counts"));
    events.to("elsewhere", Produced.with(Serdes.String(), Serdes.String()));
    return builder.build().describe();
  }

  @Test
  void shouldCountAChangelogPerStoreTheTopicsItsSinksWriteAndTheDeadLetters() {
    // views, counts, by-owner-counts; the by-owner repartition topic and "elsewhere"; dead letters
    assertThat(ProjectionSettings.writtenTopics(threeStoresAndARepartition())).isEqualTo(6);
  }

  @Test
  void shouldGiveTheLargestBatchThatLetsEveryPartitionWrittenHoldOneWithinThePool() {
    Properties props = new Properties();
    ProjectionSettings.sizeProducerBatches(props, threeStoresAndARepartition(), 12);

    // 6 topics x 12 partitions = 72 open batches within the producer's default 32 MiB
    assertThat(props).containsEntry("producer.batch.size", 465_920); // 455 KiB
    assertThat(465_920L * 72).isLessThanOrEqualTo(32L << 20);
    assertThat((465_920L + 1024) * 72).isGreaterThan(32L << 20);
  }

  @Test
  void shouldKeepBatchesBetweenTheProducersDefaultAndOneMebibyte() {
    assertThat(ProjectionSettings.batchBytes(32L << 20, 6)).isEqualTo(1 << 20);
    assertThat(ProjectionSettings.batchBytes(32L << 20, 10_000)).isEqualTo(16 << 10);
    assertThat(ProjectionSettings.batchBytes(64L << 20, 66)).isEqualTo(1_015_808); // 992 KiB
  }

  @Test
  void shouldSizeBatchesWithinTheBufferMemoryTheOperatorSets() {
    Properties props = new Properties();
    props.put("producer.buffer.memory", String.valueOf(8L << 20));
    ProjectionSettings.sizeProducerBatches(props, threeStoresAndARepartition(), 12);

    assertThat(props).containsEntry("producer.batch.size", 115_712); // 8 MiB / 72, 113 KiB
  }

  @Test
  void shouldLeaveTheBatchSizeTheOperatorSetsAlone() {
    Properties prefixed = new Properties();
    prefixed.put("producer.batch.size", "65536");
    ProjectionSettings.sizeProducerBatches(prefixed, threeStoresAndARepartition(), 12);
    assertThat(prefixed).containsEntry("producer.batch.size", "65536");

    Properties plain = new Properties();
    plain.put("batch.size", "65536");
    ProjectionSettings.sizeProducerBatches(plain, threeStoresAndARepartition(), 12);
    assertThat(plain).doesNotContainKey("producer.batch.size");
  }
}
