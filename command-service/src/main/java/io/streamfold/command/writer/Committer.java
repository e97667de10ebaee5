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
 * ({@link Visibility}) and answers. An instance has as many lanes as cores (partition p in lane p
 * mod lanes), so that as many rounds are in flight as there are cores to decide them.
 *
 * <p>Why one transaction for several partitions, not one per partition: a transaction costs the
 * broker the same CPU whatever the number of partitions it writes, and on a small machine that cost
 * is what bounds the command path (measured: {@code bench/profiles/ 2026-12-02-transaction-cost/}).
 * This is Kafka Streams' exactly-once v2 (KIP-447) applied to the writers.
 *
 * <p>Fencing follows from that: the transactional id is the instance's lane's, so a new owner of a
 * partition cannot fence the old one with {@code initTransactions}. Every round instead commits,
 * inside its transaction, an offset of the ownership group for each version-table partition it
 * writes ({@code sendOffsetsToTransaction} with the group's metadata). The group coordinator
 * refuses that offset commit from a member whose generation is no longer current, so a zombie (an
 * owner paused past its session time-out) can never commit: its round aborts and answers 503. And a
 * new owner fetches the partition's committed offset requiring stable offsets before it restores:
 * the fetch waits while a transaction holding such an offset commit is undecided, so the previous
 * owner's last round is either in what it restores or never committed.
 */
final class Committer<C> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

  /** How long a round may take from its first write until it is visible, else 504. */
  static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

  private final WriterContext<C, ?, ?> context;
  private final String transactionalId;
  private final AtomicReference<ConsumerGroupMetadata> group;
  private final Set<PartitionWriter<C>> serving = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Repair> repairs = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** Confined to the committer's thread. */
  private KafkaProducer<String, byte[]> producer;

  private int failuresInARow;

  /** What a restore must write, in a transaction, to agree with the event log. */
  private record Repair(
      int partition,
      long versionsOffset,
      Map<String, byte[]> rows,
      Map<String, byte[]> records,
      byte[] mark,
      CompletableFuture<Void> done) {}

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
    CompletableFuture<Void> done = new CompletableFuture<>();
    repairs.add(new Repair(partition, versionsOffset, rows, records, mark, done));
    wake();
    try {
      done.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
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
          failuresInARow = 0;
        }
        Repair repair = repairs.poll();
        if (repair != null) {
          repair(repair);
          continue;
        }
        for (PartitionWriter<C> writer : serving) {
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

  private void repair(Repair repair) {
    try {
      producer.beginTransaction();
      RecordHeaders headers = new RecordHeaders();
      headers.add(Mark.HEADER, repair.mark()).add(Reconciler.REPAIR_HEADER, new byte[0]);
      repair
          .rows()
          .forEach(
              (id, row) ->
                  producer.send(
                      new ProducerRecord<>(
                          context.topics().versions(),
                          repair.partition(),
                          null,
                          id,
                          row,
                          headers)));
      repair
          .records()
          .forEach(
              (key, record) ->
                  producer.send(
                      new ProducerRecord<>(
                          context.topics().idempotency(),
                          repair.partition(),
                          null,
                          key,
                          record,
                          headers)));
      producer.sendOffsetsToTransaction(
          Map.of(
              new TopicPartition(context.topics().versions(), repair.partition()),
              new OffsetAndMetadata(repair.versionsOffset())),
          groupMetadata());
      producer.commitTransaction();
      repair.done().complete(null);
    } catch (Exception e) {
      repair.done().completeExceptionally(e);
      closeProducer(Duration.ZERO); // the next round starts from a producer that fenced this one
    }
  }

  /**
   * One transaction over every part: decide, write, commit, await visibility, bring the stores to
   * their new checkpoints, answer.
   */
  private void round(List<Part<C>> parts) {
    context.metrics().batch(parts.stream().mapToInt(p -> p.commands().size()).sum());
    round(parts, true);
  }

  /**
   * @param retry whether a round refused by the group is decided again once, when the group's
   *     metadata has moved on meanwhile (a rebalance that left these partitions here): nothing of
   *     it was written, and the stores are as they were
   */
  private void round(List<Part<C>> parts, boolean retry) {
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
    for (Part<C> part : parts) {
      Batch<C> batch =
          new Batch<>(context, part.writer().partition(), part.store(), part.position());
      try {
        batch.decide(part.commands(), producer, begin);
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
    if (begun[0]) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (Part<C> part : parts) {
        offsets.put(
            new TopicPartition(context.topics().versions(), part.writer().partition()),
            new OffsetAndMetadata(part.position().versions()));
      }
      try {
        producer.sendOffsetsToTransaction(offsets, groupMetadata());
      } catch (ProducerFencedException | InvalidProducerEpochException e) {
        fenced(parts, e);
        return;
      } catch (RuntimeException e) {
        // refused by the group (its generation moved on: a rebalance, or a newer owner of these
        // partitions), or the group was unreachable: nothing is committed
        ConsumerGroupMetadata used = group.get();
        try {
          producer.abortTransaction();
        } catch (RuntimeException abortFailed) {
          closeProducer(Duration.ZERO);
        }
        if (retry && producer != null && awaitNewGeneration(used, parts) && stillServing(parts)) {
          LOG.debug("The group refused a round's offsets during a rebalance; deciding it again", e);
          round(parts, false);
          return;
        }
        context.metrics().fenced();
        LOG.warn("The group refused the round's offsets ({}); aborted, answered 503", e.toString());
        WriteFailure failure = new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Not the owner", e);
        parts.forEach(part -> Batch.fail(part.commands(), failure, context.completions()));
        return;
      }
      try {
        producer.commitTransaction();
        awaitVisible(batches, start + VISIBILITY_TIMEOUT.toNanos());
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
      } catch (Exception e) {
        LOG.warn(
            "Partition {}'s store failed after a commit; it restores again",
            part.writer().partition(),
            e);
        part.writer().fail();
      }
    }
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

  /**
   * Waits, at most two seconds, until the group's metadata is other than {@code used}; false at
   * once when one of the partitions is being handed over.
   */
  private boolean awaitNewGeneration(ConsumerGroupMetadata used, List<Part<C>> parts) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline && stillServing(parts)) {
      ConsumerGroupMetadata now = group.get();
      if (now != null && (used == null || now.generationId() != used.generationId())) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return false;
  }

  private static boolean stillServing(List<? extends Part<?>> parts) {
    return parts.stream().allMatch(part -> part.writer().serving());
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

  private KafkaProducer<String, byte[]> producer() {
    Properties config = new Properties();
    config.putAll(context.clientProperties());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A round's records leave together, in one request, when commitTransaction flushes them; sent
    // as decided (linger 0), the first went alone and the rest followed in a second request.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1_000);
    // The first send after a commit can be refused with CONCURRENT_TRANSACTIONS while the broker
    // finishes the previous transaction: retry within milliseconds, not the default 100 ms.
    config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 2);
    config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
    // An instance that dies inside a round leaves its transaction open, and the new owners of its
    // partitions wait until the coordinator aborts it: no longer than the session time-out.
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
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
    for (Repair repair = repairs.poll(); repair != null; repair = repairs.poll()) {
      repair.done().completeExceptionally(new IllegalStateException("Closed"));
    }
  }

  /**
   * A partition's share of a round: its commands, its store, and where it stood before the round.
   * The writer is held ({@link PartitionWriter#take}) until {@link PartitionWriter#released}.
   */
  record Part<C>(
      PartitionWriter<C> writer,
      List<Pending<C>> commands,
      LocalStore store,
      PartitionStore.Checkpoint position) {}
}
