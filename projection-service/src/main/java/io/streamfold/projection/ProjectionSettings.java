package io.streamfold.projection;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.topology.DeadLetters;
import io.streamfold.projection.topology.ProjectionCounters;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams settings of the projections: exactly-once (a store and its changelog, an index's
 * repartition hop and the consumer position move together), reading the event log from its
 * beginning under a new application id (a rebuild), poison events to the dead-letter topic, the
 * record cache of the views and totals (interactive queries read through it, so read-your-writes
 * holds), the stores' RocksDB memory bounded for the instance ({@link StoreMemory}), and the
 * producer's batches sized for the partitions it writes ({@link #sizeProducerBatches}).
 */
final class ProjectionSettings {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionSettings.class);

  /** The largest batch given: the broker's default {@code message.max.bytes} is 1 MiB + 12 B. */
  static final int MAX_BATCH_BYTES = 1 << 20;

  /** The producer's own default {@code batch.size}, the least given. */
  static final int MIN_BATCH_BYTES = 16 << 10;

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

  /**
   * Sizes the batches of the stream threads' producers, unless {@code KAFKA_PRODUCER_BATCH_SIZE}
   * (or {@code KAFKA_BATCH_SIZE}) sets them: the largest that lets every partition the instance may
   * write (each store's changelog, each repartition topic and the dead-letter topic, at the widest
   * events topic's partition count) hold an open batch within the producer's {@code buffer.memory}
   * at once, between the producer's default of 16 KiB and 1 MiB (the bank's views on six
   * partitions: 12 topics, 72 partitions, 455 KiB).
   *
   * <p>Why: a replay writes a changelog record or more for every event; with 16 KiB batches each
   * one filled within milliseconds and went to the broker nearly alone, ~22,000 produce requests of
   * ~195 records for a 2,000,000-event rebuild, and those requests were the broker's and the
   * producer's network thread's CPU on the cores the fold needs (rebuilds in turns within one
   * stack: 70,418 against 49,777 events/s from the start, the broker 2.55 against 6.1 µs of CPU per
   * event; README, Performance). Live traffic does not fill a batch before the commit sends it, so
   * it does not depend on the size. The producer takes a batch's whole size from its pool when the
   * batch opens, which is why the size follows the partitions: larger, and a producer writing to
   * more partitions than its pool holds batches would wait in {@code send} for a batch to be sent.
   */
  static void sizeProducerBatches(
      Properties props, TopologyDescription topology, int partitionsPerTopic) {
    if (props.containsKey(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG))
        || props.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
      return; // the operator's
    }
    long pool =
        Long.parseLong(
            String.valueOf(
                props.getOrDefault(
                    StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG),
                    props.getOrDefault(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20))));
    int written = writtenTopics(topology) * Math.max(1, partitionsPerTopic);
    int batch = batchBytes(pool, written);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), batch);
    LOG.info(
        "Producer batches of {} bytes: {} partitions written at most, {} bytes of buffer memory",
        batch,
        written,
        pool);
  }

  /** The batch size for {@code partitions} open batches within {@code pool} bytes. */
  static int batchBytes(long pool, int partitions) {
    long each = pool / Math.max(1, partitions) / 1024 * 1024; // whole KiB
    return (int) Math.max(MIN_BATCH_BYTES, Math.min(MAX_BATCH_BYTES, each));
  }

  /**
   * The topics a topology's producer writes: a changelog per store, the topics its sinks write (the
   * repartition topics), and the dead-letter topic.
   */
  static int writtenTopics(TopologyDescription topology) {
    Set<String> stores = new HashSet<>();
    Set<String> sinks = new HashSet<>();
    for (TopologyDescription.Subtopology sub : topology.subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Processor processor) {
          stores.addAll(processor.stores());
        } else if (node instanceof TopologyDescription.Sink sink) {
          sinks.add(sink.topic() != null ? sink.topic() : sink.name());
        }
      }
    }
    return stores.size() + sinks.size() + 1;
  }
}
