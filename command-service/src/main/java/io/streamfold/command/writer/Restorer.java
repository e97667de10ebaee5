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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Brings a partition's local store up to the end of its version-table and idempotency partitions,
 * from the store's checkpoint: called only once no earlier writer of the partition can commit any
 * more (it released the partition, or was fenced) and this instance has claimed it, and reading
 * (read_committed) up to end offsets asked after that, so the last commit of a previous owner
 * cannot be missed. Idempotency records older than the window are skipped. The store is then
 * checked against the event log from its {@link Mark} and repaired where they disagree ({@link
 * Reconciler}).
 */
final class Restorer {
  private static final Duration POLL = Duration.ofMillis(200);

  /** How long a restore waits for an earlier transaction to be decided before the writer fails. */
  private static final Duration UNDECIDED_WAIT = Duration.ofMinutes(2);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Restorer.class);

  private Restorer() {}

  /** How many times a restore writes repairs and checks again before it gives up. */
  private static final int PASSES = 3;

  /** Writes a restore's repairs in a transaction and waits for its commit. */
  interface Repairs {
    void write(
        Map<String, byte[]> rows, Map<String, byte[]> records, byte[] mark, long versionsOffset)
        throws Exception;
  }

  /**
   * Who wrote {@code partition} last ({@link Claim}), read once no claim, release or repair of an
   * earlier owner is undecided: each commits an offset of the ownership group inside its
   * transaction, and fetching that offset requiring stable offsets (a read_committed consumer of
   * the group) waits while such a transaction is open.
   */
  static Claim awaitPreviousOwner(WriterContext<?, ?, ?> context, int partition) {
    Properties config = new Properties();
    config.putAll(context.clientProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, context.applicationId());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, context.transactionalId(partition) + "-fence");
    TopicPartition versions = new TopicPartition(context.topics().versions(), partition);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      OffsetAndMetadata committed =
          consumer.committed(java.util.Set.of(versions), UNDECIDED_WAIT).get(versions);
      return committed == null ? Claim.NONE : Claim.parse(committed.metadata());
    }
  }

  /**
   * Where the partition's inbox continues: the position the ownership group holds for it, committed
   * by the rounds that decided its messages (0 when none did). Called after the claim, so no
   * earlier writer's round is undecided; fetched requiring stable offsets all the same.
   */
  static long inboxPosition(WriterContext<?, ?, ?> context, int partition) {
    Properties config = new Properties();
    config.putAll(context.clientProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, context.applicationId());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, context.transactionalId(partition) + "-inbox");
    TopicPartition inbox = new TopicPartition(context.topics().inbox(), partition);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      OffsetAndMetadata committed =
          consumer.committed(java.util.Set.of(inbox), UNDECIDED_WAIT).get(inbox);
      return committed == null ? 0 : committed.offset();
    }
  }

  /**
   * Restores, checks the store against the event log from its {@link Mark} and repairs what
   * disagrees ({@link Reconciler}) through {@code repairs}, then restores and checks again; returns
   * the checkpoint reached, whose mark is the three partitions' ends.
   */
  static PartitionStore.Checkpoint restore(
      WriterContext<?, ?, ?> context, int partition, LocalStore store, Repairs repairs)
      throws Exception {
    for (int pass = 1; ; pass++) {
      Restored restored = read(context, partition, store);
      Reconciler.Repairs found =
          new Reconciler<>(context, partition, store).check(restored.mark(), restored.end());
      if (found.none()) {
        Mark end = restored.end();
        PartitionStore.Checkpoint done =
            new PartitionStore.Checkpoint(end.versions(), end.idempotency(), end);
        store.apply(Map.of(), Map.of(), done);
        return done;
      }
      if (pass == PASSES) {
        throw new IllegalStateException(
            "Partition " + partition + " still disagrees with its event log after its repairs");
      }
      LOG.warn(
          "Partition {}: writing {} version rows and {} idempotency records to agree with the"
              + " event log",
          partition,
          found.rows().size(),
          found.records().size());
      repairs.write(
          found.rows(), found.records(), restored.mark().bytes(), restored.end().versions());
      context.metrics().repaired(found.rows().size() + found.records().size());
    }
  }

  /**
   * Where a restore's reading ended: {@code mark}, the latest mark known (the store's or one read
   * on a record), from which the three partitions must be checked; {@code end}, their stable ends.
   */
  private record Restored(Mark mark, Mark end) {}

  /** Reads the version table and the idempotency records into the store, from its checkpoint. */
  private static Restored read(WriterContext<?, ?, ?> context, int partition, LocalStore store) {
    TopicPartition events = new TopicPartition(context.topics().events(), partition);
    TopicPartition versions = new TopicPartition(context.topics().versions(), partition);
    TopicPartition idempotency = new TopicPartition(context.topics().idempotency(), partition);
    PartitionStore.Checkpoint from = store.checkpoint();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(context, partition, "restore", 50)) {
      List<TopicPartition> all = List.of(events, versions, idempotency);
      // assigned the events too, for their stable end offset, but paused: only the tables are read
      consumer.assign(all);
      consumer.pause(List.of(events));
      Map<TopicPartition, Long> stable = awaitDecided(context, partition, consumer, all);
      Mark end = new Mark(stable.get(events), stable.get(versions), stable.get(idempotency));
      Mark known = from.mark();
      if (from.versions() > end.versions()
          || from.idempotency() > end.idempotency()
          || known.events() > end.events()
          || known.versions() > end.versions()
          || known.idempotency() > end.idempotency()) {
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
      while (consumer.position(versions) < end.versions()
          || consumer.position(idempotency) < end.idempotency()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        Map<String, byte[]> rows = new HashMap<>();
        Map<String, byte[]> remembered = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          known = known.max(Mark.of(record.headers()));
          String key = new String(record.key(), StandardCharsets.UTF_8);
          if (record.topic().equals(versions.topic())) {
            rows.put(key, record.value());
          } else if (record.timestamp() >= cutoff || record.value() == null) {
            remembered.put(key, record.value());
          }
        }
        store.apply(
            rows,
            remembered,
            new PartitionStore.Checkpoint(
                consumer.position(versions), consumer.position(idempotency), known));
        context.metrics().restored(records.count());
      }
      return new Restored(known, end);
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
   * @param committed a read_committed consumer assigned {@code partitions} (it logs a WARN for each
   *     it is asked about and not assigned)
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
