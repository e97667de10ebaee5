package io.streamfold.command.writer;

import io.streamfold.schemas.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane of an aggregate type's writers on this instance: a transactional producer and the thread
 * that uses it. Each round takes the queued commands of every partition of the lane that the
 * instance serves, decides each partition's against its committed state plus the round's earlier
 * commands, writes them all in one transaction, commits once, waits until the round is readable
 * ({@link Visibility}) and answers. An instance has {@code WRITER_LANES} lanes (partition p in lane
 * p mod lanes), one by default: on two cores one lane's bigger rounds, half as many transactions,
 * did better than a lane per core (measured, {@code bench/profiles/2026-12-03-one-lane/}).
 *
 * <p>Why one transaction for several partitions, not one per partition: a transaction costs the
 * broker the same CPU whatever the number of partitions it writes, and on a small machine that cost
 * is what bounds the command path (measured: {@code bench/profiles/ 2026-12-02-transaction-cost/}).
 * This is Kafka Streams' exactly-once v2 (KIP-447) applied to the writers.
 *
 * <p>Fencing follows from that: the transactional id is the instance's lane's, so a new owner of a
 * partition fences the previous owner's lane, named by the partition's {@link Claim}, with {@code
 * initTransactions} on that id ({@link #fenceOut}), unless the previous owner released the
 * partition after its last round. A writer claims a partition, in a transaction of its lane that
 * commits the ownership group's offset with the claim as metadata, before it restores and serves
 * it; the group coordinator refuses that offset commit from a member whose generation is over, so a
 * zombie (an owner paused past its session time-out) cannot claim, and its lane's rounds fail once
 * the new owner has fenced it. The rounds themselves carry no offset commit: that round trip to the
 * group coordinator cost a fifth of a round's time and of the throughput (measured, {@code
 * bench/profiles/2026-12-02-claims/}).
 */
final class Committer<C> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

  /** How long a round may take from its first write until it is visible, else 504. */
  static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

  private final WriterContext<C, ?, ?> context;
  private final String transactionalId;
  private final AtomicReference<ConsumerGroupMetadata> group;
  private final Set<PartitionWriter<C>> serving = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Side> sides = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** Confined to the committer's thread. */
  private KafkaProducer<String, byte[]> producer;

  private int failuresInARow;

  /**
   * Counts the producers this committer has had; written on its thread, read by claims. A partition
   * is served only by the producer under which it was claimed: a new producer (after a failure, or
   * after a new owner of one of the lane's partitions fenced the lane) serves none of the lane's
   * partitions until each has claimed again, and a claim is refused by the group unless this
   * instance still owns the partition. Otherwise a zombie whose lane was fenced would start a new
   * producer and go on writing partitions that have new owners.
   */
  private volatile long incarnation;

  /**
   * A transaction besides the rounds: the ownership group's offsets of version-table partitions
   * with a {@link Claim} as metadata, and for a restore's repair the rows and records that make
   * {@code partition} agree with the event log.
   */
  private record Side(
      Map<Integer, Long> offsets,
      String metadata,
      int partition,
      Map<String, byte[]> rows,
      Map<String, byte[]> records,
      byte[] mark,
      CompletableFuture<Long> done) {}

  /**
   * @param group the ownership group's metadata as of its last rebalance (null before the first)
   */
  Committer(
      WriterContext<C, ?, ?> context,
      String transactionalId,
      AtomicReference<ConsumerGroupMetadata> group) {
    this.context = context;
    this.transactionalId = transactionalId;
    this.group = group;
    this.thread =
        new Thread(
            this::run,
            "committer-"
                + context.aggregate().collection()
                + transactionalId.substring(transactionalId.lastIndexOf('-')));
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  String transactionalId() {
    return transactionalId;
  }

  /** The partition's commands are taken in the next rounds. */
  void serve(PartitionWriter<C> writer) {
    serving.add(writer);
    wake();
  }

  /** No further round takes the partition's commands; the round in progress may still. */
  void release(PartitionWriter<C> writer) {
    serving.remove(writer);
  }

  /** A command was queued. */
  void wake() {
    LockSupport.unpark(thread);
  }

  /**
   * Claims {@code partition} for this lane (its {@link Claim} becomes the group's offset metadata)
   * and waits for the commit; fails when the group refuses it (this instance's generation is over,
   * or a rebalance is under way).
   */
  long claim(int partition, long versionsOffset) throws Exception {
    return side(
        new Side(
            Map.of(partition, versionsOffset),
            Claim.claimedBy(transactionalId),
            partition,
            Map.of(),
            Map.of(),
            null,
            new CompletableFuture<>()),
        Duration.ofSeconds(60));
  }

  /**
   * Records that this lane takes no round with {@code partitions} (partition → version-table
   * offset) any more, so that their next owner need not fence it.
   */
  void release(Map<Integer, Long> partitions) throws Exception {
    side(
        new Side(
            partitions,
            Claim.releasedBy(transactionalId),
            -1,
            Map.of(),
            Map.of(),
            null,
            new CompletableFuture<>()),
        Duration.ofSeconds(5));
  }

  /**
   * Writes a restore's repairs of {@code partition} in a transaction of their own and waits for its
   * commit.
   */
  void repair(
      int partition,
      long versionsOffset,
      Map<String, byte[]> rows,
      Map<String, byte[]> records,
      byte[] mark)
      throws Exception {
    side(
        new Side(
            Map.of(partition, versionsOffset),
            Claim.claimedBy(transactionalId),
            partition,
            rows,
            records,
            mark,
            new CompletableFuture<>()),
        Duration.ofSeconds(60));
  }

  /** Queues the side transaction; returns the incarnation of the producer that committed it. */
  private long side(Side side, Duration wait) throws Exception {
    if (!running) {
      throw new IllegalStateException("The committer is closed");
    }
    sides.add(side);
    wake();
    try {
      return side.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * Fences every producer with {@code transactionalId} (a previous owner's lane): its open
   * transaction is aborted, and a transaction it has committed is complete, when this returns;
   * whatever it sends after that is refused.
   */
  static void fenceOut(WriterContext<?, ?, ?> context, String transactionalId, String by) {
    Properties config = transactional(context, transactionalId, by + "-fencing");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    try (KafkaProducer<byte[], byte[]> fencing =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      fencing.initTransactions();
    }
  }

  boolean isAlive() {
    return !running || thread.isAlive();
  }

  private void run() {
    while (running) {
      List<Part<C>> parts = new ArrayList<>();
      try {
        if (producer == null) {
          producer = producer();
          producer.initTransactions();
          incarnation++;
          failuresInARow = 0;
        }
        Side side = sides.poll();
        if (side != null) {
          side(side);
          continue;
        }
        for (PartitionWriter<C> writer : serving) {
          if (writer.claimedUnder() != incarnation) {
            serving.remove(writer);
            writer.fail(); // claimed under an earlier producer: it claims again
            continue;
          }
          Part<C> part = writer.take(context.maxBatch());
          if (part != null) {
            parts.add(part);
          }
        }
        if (parts.isEmpty()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
          continue;
        }
        try {
          round(parts);
        } finally {
          parts.forEach(part -> part.writer().released());
        }
      } catch (Exception e) {
        LOG.warn("The committer's producer failed; a new one fences it and goes on", e);
        // a round cut short by something unforeseen: its outcome is unknown (answers already
        // given stay as they are) and its partitions restore before they decide anything else
        WriteFailure unknown =
            new WriteFailure(WriteFailure.Kind.OUTCOME_UNKNOWN, "Round failed", e);
        parts.forEach(
            part -> {
              Batch.fail(part.commands(), unknown, context.completions());
              part.writer().fail();
            });
        closeProducer(Duration.ZERO);
        // back off, 250 ms doubling to 8 s while producers keep failing (the cluster is unwell),
        // rather than asking a coordinator that is still loading for a new epoch every moment
        failuresInARow = Math.min(failuresInARow + 1, 6);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250L << (failuresInARow - 1)));
      }
    }
    closeProducer(Duration.ofSeconds(5));
  }

  private void side(Side side) {
    try {
      producer.beginTransaction();
      RecordHeaders headers = new RecordHeaders();
      if (side.mark() != null) {
        headers.add(Mark.HEADER, side.mark()).add(Reconciler.REPAIR_HEADER, new byte[0]);
      }
      side.rows()
          .forEach(
              (id, row) ->
                  producer.send(
                      new ProducerRecord<>(
                          context.topics().versions(), side.partition(), null, id, row, headers)));
      side.records()
          .forEach(
              (key, record) ->
                  producer.send(
                      new ProducerRecord<>(
                          context.topics().idempotency(),
                          side.partition(),
                          null,
                          key,
                          record,
                          headers)));
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      side.offsets()
          .forEach(
              (partition, offset) ->
                  offsets.put(
                      new TopicPartition(context.topics().versions(), partition),
                      new OffsetAndMetadata(offset, side.metadata())));
      producer.sendOffsetsToTransaction(offsets, groupMetadata());
      producer.commitTransaction();
      side.done().complete(incarnation);
    } catch (Exception e) {
      side.done().completeExceptionally(e);
      try {
        producer.abortTransaction(); // e.g. a claim refused during a rebalance
      } catch (RuntimeException abortFailed) {
        closeProducer(Duration.ZERO); // the next producer fences this one
      }
    }
  }

  /**
   * One transaction over every part: decide, write, commit, await visibility, bring the stores to
   * their new checkpoints, answer.
   */
  private void round(List<Part<C>> parts) {
    context.metrics().batch(parts.stream().mapToInt(p -> p.commands().size()).sum());
    for (Part<C> part : parts) {
      for (Pending<C> pending : part.commands()) {
        context.metrics().phase(WriterMetrics.Phase.QUEUED, pending.queuedNanos());
      }
      part.messages().forEach(message -> context.metrics().inboxAge(message.timestamp()));
    }
    long start = System.nanoTime();
    boolean[] begun = {false};
    Runnable begin =
        () -> {
          if (!begun[0]) {
            producer.beginTransaction();
            begun[0] = true;
          }
        };
    List<Batch<C>> batches = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> inboxPositions = new HashMap<>();
    for (Part<C> part : parts) {
      Batch<C> batch =
          new Batch<>(context, part.writer().partition(), part.store(), part.position());
      try {
        batch.decide(part.commands(), producer, begin);
        if (!part.messages().isEmpty()) {
          begin.run(); // the inbox position commits even if the messages write nothing
          batch.decideMessages(part.messages(), producer, begin);
          inboxPositions.put(
              new TopicPartition(context.topics().inbox(), part.writer().partition()),
              new OffsetAndMetadata(part.messages().get(part.messages().size() - 1).offset() + 1));
        }
        if (!part.due().isEmpty()) {
          batch.decideDeadlines(part.due(), producer, begin);
        }
        batches.add(batch);
      } catch (RegistryUnavailableException e) {
        abortAll(
            parts, begun[0], new WriteFailure(WriteFailure.Kind.NOT_APPLIED, e.getMessage(), e));
        return;
      } catch (RuntimeException e) {
        // a store failure: nothing of the round is written; that partition restores again
        abortAll(parts, begun[0], new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Aborted", e));
        LOG.warn("Partition {} failed to decide; it restores again", part.writer().partition(), e);
        part.writer().fail();
        return;
      }
    }
    long lap = context.metrics().phase(WriterMetrics.Phase.DECIDE, start);
    if (begun[0]) {
      try {
        if (!inboxPositions.isEmpty()) {
          // refused for a member of an earlier generation: a zombie decides no message
          producer.sendOffsetsToTransaction(inboxPositions, groupMetadata());
        }
        producer.commitTransaction();
        lap = context.metrics().phase(WriterMetrics.Phase.COMMIT, lap);
        awaitVisible(batches, start + VISIBILITY_TIMEOUT.toNanos());
        lap = context.metrics().phase(WriterMetrics.Phase.VISIBLE, lap);
      } catch (ProducerFencedException | InvalidProducerEpochException e) {
        fenced(parts, e);
        return;
      } catch (Exception e) {
        WriteFailure unknown =
            new WriteFailure(WriteFailure.Kind.OUTCOME_UNKNOWN, "Commit outcome unknown", e);
        parts.forEach(part -> Batch.fail(part.commands(), unknown, context.completions()));
        LOG.warn("A round's commit outcome is unknown; its partitions restore again", e);
        parts.forEach(part -> part.writer().fail());
        closeProducer(Duration.ZERO);
        return;
      }
      context.metrics().committed(start);
    }
    for (int i = 0; i < parts.size(); i++) {
      Part<C> part = parts.get(i);
      try {
        part.writer().advance(batches.get(i).finish(part.position()));
        part.writer().committed(part, batches.get(i).deadlines());
      } catch (Exception e) {
        LOG.warn(
            "Partition {}'s store failed after a commit; it restores again",
            part.writer().partition(),
            e);
        part.writer().fail();
      }
    }
    context.metrics().phase(WriterMetrics.Phase.FINISH, lap);
  }

  private void fenced(List<Part<C>> parts, Exception e) {
    context.metrics().fenced();
    LOG.warn("This instance's producer was fenced by a newer one with its transactional id");
    WriteFailure failure = new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Fenced", e);
    parts.forEach(part -> Batch.fail(part.commands(), failure, context.completions()));
    serving.forEach(PartitionWriter::fail);
    closeProducer(Duration.ZERO);
  }

  private void abortAll(List<Part<C>> parts, boolean begun, WriteFailure failure) {
    if (begun) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException e) {
        closeProducer(Duration.ZERO);
      }
    }
    parts.forEach(part -> Batch.fail(part.commands(), failure, context.completions()));
  }

  /**
   * Waits until the committed round has been read back with read_committed ({@link Visibility} says
   * why), by {@code deadlineNanos}; also measured after waking, so a committer paused past it never
   * answers 200 for records that may have been aborted meanwhile.
   */
  private void awaitVisible(List<Batch<C>> batches, long deadlineNanos) throws Exception {
    Map<TopicPartition, Long> last = new HashMap<>();
    for (Batch<C> batch : batches) {
      last.putAll(batch.lastOffsets());
    }
    try {
      context
          .visibility()
          .await(last)
          .get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    if (System.nanoTime() > deadlineNanos) {
      throw new TimeoutException("The round was visible only after its deadline");
    }
  }

  private ConsumerGroupMetadata groupMetadata() {
    ConsumerGroupMetadata metadata = group.get();
    if (metadata == null) {
      throw new IllegalStateException("The ownership group has not assigned anything yet");
    }
    return metadata;
  }

  private void closeProducer(Duration timeout) {
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        LOG.debug("Closing the producer failed", e);
      }
      producer = null;
    }
  }

  /**
   * A lane's transactional producer settings: the clients' base, the transactional id and the
   * transaction time-out every producer of a lane's id registers with the coordinator (the one that
   * fences a lane included, so the id's time-out stays the writers').
   */
  private static Properties transactional(
      WriterContext<?, ?, ?> context, String transactionalId, String clientId) {
    Properties config = new Properties();
    config.putAll(context.clientProperties());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // An instance that dies inside a round leaves its transaction open until the new owners of its
    // partitions fence its lane, or at most this long.
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    return config;
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties config = transactional(context, transactionalId, transactionalId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A round's records leave together, in one request, when commitTransaction flushes them; sent
    // as decided (linger 0), the first went alone and the rest followed in a second request.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1_000);
    // The first send after a commit can be refused with CONCURRENT_TRANSACTIONS while the broker
    // finishes the previous transaction: retry within milliseconds, not the default 100 ms.
    config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 2);
    config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** Stops after the round in progress; pending repairs fail. */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Side side = sides.poll(); side != null; side = sides.poll()) {
      side.done().completeExceptionally(new IllegalStateException("Closed"));
    }
  }

  /**
   * A partition's share of a round: its commands, its store, and where it stood before the round.
   * The writer is held ({@link PartitionWriter#take}) until {@link PartitionWriter#released}.
   */
  record Part<C>(
      PartitionWriter<C> writer,
      List<Pending<C>> commands,
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> messages,
      List<Deadlines.Deadline> due,
      LocalStore store,
      PartitionStore.Checkpoint position) {}
}
