package io.streamfold.projection;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.topology.DeadLetters;
import io.streamfold.projection.topology.ProjectionCounters;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams settings of the projections: exactly-once (a store and its changelog, an index's
 * repartition hop and the consumer position move together), reading the event log from its
 * beginning under a new application id (a rebuild), poison events to the dead-letter topic, the
 * record cache of the views and totals (interactive queries read through it, so read-your-writes
 * holds), and the stores' RocksDB memory bounded for the instance ({@link StoreMemory}).
 */
final class ProjectionSettings {
  private ProjectionSettings() {}

  static Properties of(ProjectionServiceConfig config, ProjectionCounters counters) {
    Properties props = config.streamsProperties();
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
    props.put(
        StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
        Short.toString(config.minInsyncReplicas()));
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.deadLetterTopic());
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetters.OnDeserialization.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnProcessing.class);
    // the topology has no global store; this is Kafka 5's default, and says so without a WARN (also
    // to the copy of the settings the partition assignor reads, through the main consumer's)
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        true);
    // A task reads its partition of the log and of the replay topic; replays need no order
    // relative to the log (a projector applies a missing version whenever it comes), so a task
    // never waits for data of an empty partition
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    props.put(DeadLetters.COUNTERS_CONFIG, counters);
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StoreMemory.class);
    props.put(StoreMemory.BYTES_CONFIG, config.storeMemoryBytes());
    return props;
  }
}
