package io.streamfold.command.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Brings a partition's local store up to the end of its version-table and idempotency partitions,
 * from the store's checkpoint: called only after the writer's {@code initTransactions} has fenced
 * the previous owner and aborted its open transaction, and reading (read_committed) up to end
 * offsets asked after that, so the zombie's last commit cannot be missed. Idempotency records older
 * than the window are skipped.
 */
final class Restorer {
  private static final Duration POLL = Duration.ofMillis(200);

  /** How long a restore waits for an earlier transaction to be decided before the writer fails. */
  private static final Duration UNDECIDED_WAIT = Duration.ofMinutes(2);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Restorer.class);

  private Restorer() {}

  /** Restores and returns the checkpoint reached and the number of records read. */
  static PartitionStore.Checkpoint restore(
      WriterContext<?, ?, ?> context, int partition, LocalStore store) {
    TopicPartition versions = new TopicPartition(context.topics().versions(), partition);
    TopicPartition idempotency = new TopicPartition(context.topics().idempotency(), partition);
    PartitionStore.Checkpoint from = store.checkpoint();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(context, partition, "restore", 50)) {
      List<TopicPartition> both = List.of(versions, idempotency);
      consumer.assign(both);
      Map<TopicPartition, Long> end = awaitDecided(context, partition, consumer, both);
      if (from.versions() > end.get(versions) || from.idempotency() > end.get(idempotency)) {
        throw new IllegalStateException(
            "The local store of partition "
                + partition
                + " is ahead of its topics (checkpoint "
                + from
                + ", end "
                + end
                + "): were the topics recreated? Delete the state directory to restore from scratch");
      }
      consumer.seek(versions, from.versions());
      consumer.seek(idempotency, from.idempotency());
      long cutoff = context.clock().millis() - context.idempotencyWindow().toMillis();
      PartitionStore.Checkpoint reached = from;
      while (consumer.position(versions) < end.get(versions)
          || consumer.position(idempotency) < end.get(idempotency)) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        Map<String, byte[]> rows = new HashMap<>();
        Map<String, byte[]> remembered = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          String key = new String(record.key(), StandardCharsets.UTF_8);
          if (record.partition() == partition && record.topic().equals(versions.topic())) {
            rows.put(key, record.value());
          } else if (record.timestamp() >= cutoff) {
            remembered.put(key, record.value());
          }
        }
        reached =
            new PartitionStore.Checkpoint(
                consumer.position(versions), consumer.position(idempotency));
        store.apply(rows, remembered, reached);
        context.metrics().restored(records.count());
      }
      return reached;
    }
  }

  /**
   * Waits until no transaction on {@code partitions} is undecided: until their last stable offset
   * has reached the end they had when called (after the writer's fencing, so no one adds to them).
   * A transaction of an earlier owner whose commit was acknowledged by the coordinator may still be
   * waiting for its markers (after a broker restart, for seconds); restoring without it would let a
   * retry of its command apply a second time once the markers land. A transaction that never gets
   * them is aborted by the hanging-transaction sweep; until then the partition is not served.
   *
   * @return the end offsets to restore to
   */
  private static Map<TopicPartition, Long> awaitDecided(
      WriterContext<?, ?, ?> context,
      int partition,
      KafkaConsumer<byte[], byte[]> committed,
      List<TopicPartition> partitions) {
    Map<TopicPartition, Long> written;
    try (KafkaConsumer<byte[], byte[]> everything =
        consumer(context, partition, "restore-end", 50, "read_uncommitted")) {
      everything.assign(partitions);
      written = everything.endOffsets(partitions, Duration.ofSeconds(30));
    }
    long started = System.nanoTime();
    boolean warned = false;
    while (true) {
      Map<TopicPartition, Long> stable = committed.endOffsets(partitions, Duration.ofSeconds(30));
      if (partitions.stream().allMatch(p -> stable.get(p) >= written.get(p))) {
        return stable;
      }
      long waited = System.nanoTime() - started;
      if (waited > UNDECIDED_WAIT.toNanos()) {
        throw new IllegalStateException(
            "Partition "
                + partition
                + " still has an undecided transaction after "
                + UNDECIDED_WAIT);
      }
      if (!warned && waited > TimeUnit.SECONDS.toNanos(5)) {
        warned = true;
        LOG.warn(
            "Partition {} waits for an undecided transaction (stable {} of {}) before restoring",
            partition,
            stable,
            written);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /**
   * A read_committed consumer of the partition's writer, assigned nothing, named for its use.
   *
   * @param fetchMaxWaitMs how long the broker holds a fetch that has nothing to return yet
   */
  static KafkaConsumer<byte[], byte[]> consumer(
      WriterContext<?, ?, ?> context, int partition, String use, int fetchMaxWaitMs) {
    return consumer(context, partition, use, fetchMaxWaitMs, "read_committed");
  }

  private static KafkaConsumer<byte[], byte[]> consumer(
      WriterContext<?, ?, ?> context,
      int partition,
      String use,
      int fetchMaxWaitMs,
      String isolation) {
    return consumer(
        context.clientProperties(),
        context.transactionalId(partition) + "-" + use,
        fetchMaxWaitMs,
        isolation);
  }

  /** A consumer outside any group, assigned nothing. */
  static KafkaConsumer<byte[], byte[]> consumer(
      Properties clientProperties, String clientId, int fetchMaxWaitMs, String isolation) {
    Properties config = new Properties();
    config.putAll(clientProperties);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Math.max(1, fetchMaxWaitMs));
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
