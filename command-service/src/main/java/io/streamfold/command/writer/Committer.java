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
 * ({@link Visibility}) and answers. The lane's thread does not sit idle through those waits: while
 * a round is read back it decides the next one (the commands queued meanwhile, against the
 * committed state plus the round in flight), and while that next round's records are on their way
 * to the broker it stores and answers the round before. Nothing of the next round leaves before the
 * round before is visible, so a transaction never meets its predecessor's markers pending (sending
 * during the wait was measured as worse, {@code bench/profiles/2026-12-03-pipelined-rounds/}), and
 * a round decided against one that then fails, or that a partition failed to store, is dropped or
 * aborted, answered "not applied". An instance has {@code WRITER_LANES} lanes (partition p in lane
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

  /** The parts taken and not yet released; confined to the committer's thread. */
  private final List<Part<C>> held = new ArrayList<>();

  /**
   * The last round, committed and read back but not yet stored nor answered: the next round is
   * decided, and is stored while that one's records are sent. Confined to the committer's thread.
   */
  private Round<C> unstored;

  /** Flushes a round's records while the committer's thread stores the round before. */
  private final java.util.concurrent.ExecutorService flusher;

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
    this.flusher =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            task -> {
              Thread flushing = new Thread(task, thread.getName() + "-flusher");
              flushing.setDaemon(true);
              return flushing;
            });
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
    Round<C> next = null;
    while (running) {
      try {
        if (producer == null) {
          producer = producer();
          producer.initTransactions();
          incarnation++;
          failuresInARow = 0;
        }
        if (next == null) {
          Side side = sides.poll();
          if (side != null) {
            side(side);
            continue;
          }
          List<Part<C>> parts = take(false);
          if (parts.isEmpty()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            continue;
          }
          next = decide(parts, null);
          if (next == null) {
            continue;
          }
        }
        Round<C> round = next;
        next = null;
        next = round(round);
      } catch (Exception e) {
        unstored = null; // its parts are held: answered below, outcome unknown
        LOG.warn("The committer's producer failed; a new one fences it and goes on", e);
        // a round cut short by something unforeseen: its outcome is unknown (answers already
        // given stay as they are) and its partitions restore before they decide anything else
        WriteFailure unknown =
            new WriteFailure(WriteFailure.Kind.OUTCOME_UNKNOWN, "Round failed", e);
        List<Part<C>> parts = new ArrayList<>(held);
        parts.forEach(part -> part.writer().fail());
        drop(parts, unknown);
        next = null;
        closeProducer(Duration.ZERO);
        // back off, 250 ms doubling to 8 s while producers keep failing (the cluster is unwell),
        // rather than asking a coordinator that is still loading for a new epoch every moment
        failuresInARow = Math.min(failuresInARow + 1, 6);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250L << (failuresInARow - 1)));
      }
    }
    if (unstored != null) {
      store(unstored); // committed and read back
      unstored = null;
    }
    drop(new ArrayList<>(held), new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Closed"));
    closeProducer(Duration.ofSeconds(5));
  }

  /**
   * Takes a share of every partition served with something waiting, holding each until {@link
   * #release}; only commands when {@code commandsOnly}. A partition claimed under an earlier
   * producer is dropped: it claims again.
   */
  private List<Part<C>> take(boolean commandsOnly) {
    return take(commandsOnly, writer -> true);
  }

  /** {@link #take(boolean)} of the partitions {@code which} accepts. */
  private List<Part<C>> take(
      boolean commandsOnly, java.util.function.Predicate<PartitionWriter<C>> which) {
    List<Part<C>> parts = new ArrayList<>();
    for (PartitionWriter<C> writer : serving) {
      if (!which.test(writer)) {
        continue;
      }
      if (writer.claimedUnder() != incarnation) {
        serving.remove(writer);
        writer.fail(); // claimed under an earlier producer: it claims again
        continue;
      }
      Part<C> part = writer.take(context.maxBatch(), commandsOnly);
      if (part != null) {
        parts.add(part);
        held.add(part);
      }
    }
    return parts;
  }

  private void release(List<Part<C>> parts) {
    for (Part<C> part : parts) {
      if (held.removeIf(h -> h == part)) {
        part.writer().released();
      }
    }
  }

  /** Answers every command of {@code parts} with {@code failure} and releases them. */
  private void drop(List<Part<C>> parts, WriteFailure failure) {
    parts.forEach(part -> Batch.fail(part.commands(), failure, context.completions()));
    release(parts);
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
   * Decides a round's parts, each against its partition's store and, when {@code inFlight} is the
   * round being read back, that round's batch of the same partition. Sends nothing. Null when a
   * registry or store failure stops it: its commands are answered (not applied) and its parts
   * released.
   */
  private Round<C> decide(List<Part<C>> parts, Round<C> inFlight) {
    for (Part<C> part : parts) {
      queued(part.commands());
      part.messages().forEach(message -> context.metrics().inboxAge(message.timestamp()));
    }
    long start = System.nanoTime();
    List<Batch<C>> batches = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> inboxPositions = new HashMap<>();
    for (Part<C> part : parts) {
      Batch<C> batch =
          new Batch<>(
              context,
              part.writer().partition(),
              part.store(),
              inFlight == null ? null : inFlight.batchOf(part.writer()));
      try {
        batch.decide(part.commands());
        if (!part.messages().isEmpty()) {
          batch.decideMessages(part.messages());
          inboxPositions.put(
              new TopicPartition(context.topics().inbox(), part.writer().partition()),
              new OffsetAndMetadata(part.messages().get(part.messages().size() - 1).offset() + 1));
        }
        if (!part.due().isEmpty()) {
          batch.decideDeadlines(part.due());
        }
        batches.add(batch);
      } catch (RuntimeException e) {
        undecided(part, parts, e);
        return null;
      }
    }
    context.metrics().phase(WriterMetrics.Phase.DECIDE, start);
    return new Round<>(parts, batches, inboxPositions);
  }

  /**
   * One transaction over every part of a decided round: send, commit, await visibility. The round
   * before, read back but not yet stored ({@link #unstored}), is stored and answered while this
   * round's records are on their way to the broker. While this round is read back, the next one is
   * decided ({@link #ahead}): it is returned, unsent, for the next call, and this round is left for
   * that call to store; without a next round, this one is stored and answered at once.
   */
  private Round<C> round(Round<C> decided) {
    Round<C> before = unstored;
    unstored = null;
    Round<C> topped = before == null ? decided : more(decided, before);
    if (topped == null) {
      store(before);
      return null;
    }
    Round<C> round = serving(topped);
    context.metrics().batch(round.parts().stream().mapToInt(p -> p.commands().size()).sum());
    long start = System.nanoTime();
    long lap = start;
    boolean writes =
        !round.inboxPositions().isEmpty() || round.batches().stream().anyMatch(Batch::sends);
    RuntimeException unsent = null;
    if (writes) {
      try {
        producer.beginTransaction();
        for (int i = 0; i < round.parts().size(); i++) {
          PartitionWriter<C> writer = round.parts().get(i).writer();
          round.batches().get(i).send(producer, position(writer, before));
        }
        if (before != null) {
          flush(); // the records leave now, and the round before is stored meanwhile
        }
      } catch (RuntimeException e) {
        unsent = e;
      }
    }
    if (before != null) {
      store(before);
      round.batches().forEach(Batch::previousStored);
      if (unsent == null
          && round.parts().stream()
              .anyMatch(part -> part.writer().state() != PartitionWriter.State.SERVING)) {
        unsent = new IllegalStateException("A partition of the round failed to store the last one");
      }
    }
    if (unsent != null) {
      // nothing committed: the producer aborts the transaction, or its successor fences it
      LOG.warn("A round could not be sent; it is aborted", unsent);
      if (writes) {
        try {
          producer.abortTransaction();
        } catch (RuntimeException abortFailed) {
          closeProducer(Duration.ZERO);
        }
      }
      drop(round.parts(), new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Aborted", unsent));
      return null;
    }
    if (!writes) {
      store(round);
      return null;
    }
    Round<C> following = null;
    try {
      if (!round.inboxPositions().isEmpty()) {
        // refused for a member of an earlier generation: a zombie decides no message
        producer.sendOffsetsToTransaction(round.inboxPositions(), groupMetadata());
      }
      producer.commitTransaction();
      lap = context.metrics().phase(WriterMetrics.Phase.COMMIT, lap);
      following = ahead(round);
      awaitVisible(round.batches(), start + VISIBILITY_TIMEOUT.toNanos());
      context.metrics().phase(WriterMetrics.Phase.VISIBLE, lap);
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      fenced(round.parts(), e);
      if (following != null) {
        drop(following.parts(), new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Fenced", e));
      }
      return null;
    } catch (Exception e) {
      WriteFailure unknown =
          new WriteFailure(WriteFailure.Kind.OUTCOME_UNKNOWN, "Commit outcome unknown", e);
      LOG.warn("A round's commit outcome is unknown; its partitions restore again", e);
      round.parts().forEach(part -> part.writer().fail());
      drop(round.parts(), unknown);
      if (following != null) {
        // decided against a round whose outcome is unknown: never sent
        drop(
            following.parts(),
            new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "The round before failed", e));
      }
      closeProducer(Duration.ZERO);
      return null;
    }
    context.metrics().committed(start);
    if (following == null) {
      store(round);
    } else {
      unstored = round;
    }
    return following;
  }

  /**
   * A round decided ahead, with the commands queued since (while the round before was read back):
   * otherwise they would wait for the round after. Null when a registry or store failure stops it:
   * the whole round is then dropped, not applied.
   */
  private Round<C> more(Round<C> ahead, Round<C> before) {
    List<Part<C>> parts = new ArrayList<>(ahead.parts());
    List<Batch<C>> batches = new ArrayList<>(ahead.batches());
    for (int i = 0; i < ahead.parts().size(); i++) {
      Part<C> part = ahead.parts().get(i);
      List<Pending<C>> more = part.writer().more(context.maxBatch() - part.commands().size());
      if (more.isEmpty()) {
        continue;
      }
      part.commands().addAll(more);
      queued(more);
      try {
        ahead.batches().get(i).decide(more);
      } catch (RuntimeException e) {
        undecided(part, parts, e);
        return null;
      }
    }
    List<Part<C>> others = take(true, writer -> ahead.batchOf(writer) == null);
    if (!others.isEmpty()) {
      Round<C> decided = decide(others, before);
      if (decided == null) {
        drop(parts, new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Aborted"));
        return null;
      }
      parts.addAll(decided.parts());
      batches.addAll(decided.batches());
    }
    return new Round<>(parts, batches, ahead.inboxPositions());
  }

  /**
   * {@code part} could not be decided: the registry is unreachable, or its store failed (that
   * partition restores again). Nothing of the round is written; every command of {@code parts} is
   * answered "not applied", and the parts are released.
   */
  private void undecided(Part<C> part, List<Part<C>> parts, RuntimeException e) {
    String why = e.getMessage();
    if (!(e instanceof RegistryUnavailableException)) {
      LOG.warn("Partition {} failed to decide; it restores again", part.writer().partition(), e);
      part.writer().fail();
      why = "Aborted";
    }
    drop(parts, new WriteFailure(WriteFailure.Kind.NOT_APPLIED, why, e));
  }

  private void queued(List<Pending<C>> commands) {
    for (Pending<C> pending : commands) {
      context.metrics().phase(WriterMetrics.Phase.QUEUED, pending.queuedNanos());
    }
  }

  /**
   * The parts of {@code decided} whose writers still serve; the others (a partition that failed
   * since, e.g. to store the round before) restore, and their parts are dropped unsent.
   */
  private Round<C> serving(Round<C> decided) {
    List<Part<C>> parts = new ArrayList<>();
    List<Batch<C>> batches = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> inboxPositions = new HashMap<>(decided.inboxPositions());
    for (int i = 0; i < decided.parts().size(); i++) {
      Part<C> part = decided.parts().get(i);
      if (part.writer().state() == PartitionWriter.State.SERVING) {
        parts.add(part);
        batches.add(decided.batches().get(i));
      } else {
        inboxPositions.remove(
            new TopicPartition(context.topics().inbox(), part.writer().partition()));
        drop(
            List.of(part),
            new WriteFailure(
                WriteFailure.Kind.NOT_APPLIED,
                "Partition " + part.writer().partition() + " restores"));
      }
    }
    return new Round<>(parts, batches, inboxPositions);
  }

  /**
   * Where {@code writer}'s partition stands for a round's records: past the round before when that
   * one wrote it and is not stored yet.
   */
  private static <C> PartitionStore.Checkpoint position(
      PartitionWriter<C> writer, Round<C> before) {
    Batch<C> last = before == null ? null : before.batchOf(writer);
    if (last == null) {
      return writer.position();
    }
    try {
      return last.after(writer.position());
    } catch (Exception e) { // its records are committed and read back: their offsets are known
      throw new IllegalStateException("The last round's offsets are unknown", e);
    }
  }

  /**
   * Brings the round's stores to their new checkpoints and answers its commands: its records are
   * committed and read back. A store that fails restores its partition.
   */
  private void store(Round<C> round) {
    long start = System.nanoTime();
    for (int i = 0; i < round.parts().size(); i++) {
      Part<C> part = round.parts().get(i);
      try {
        part.writer().advance(round.batches().get(i).finish(part.writer().position()));
        part.writer().committed(part, round.batches().get(i).deadlines());
      } catch (Exception e) {
        LOG.warn(
            "Partition {}'s store failed after a commit; it restores again",
            part.writer().partition(),
            e);
        part.writer().fail();
      }
    }
    release(round.parts());
    context.metrics().phase(WriterMetrics.Phase.FINISH, start);
  }

  /**
   * Has the producer's buffered records sent now, on the flusher's thread, rather than when {@code
   * commitTransaction} flushes them, so that the committer's thread can store the round before
   * meanwhile.
   */
  private void flush() {
    KafkaProducer<String, byte[]> sending = producer;
    flusher.execute(
        () -> {
          try {
            sending.flush();
          } catch (RuntimeException e) {
            LOG.debug("Flushing a round's records failed; its commit reports it", e);
          }
        });
  }

  /**
   * The next round, decided while {@code inFlight} is read back, so that deciding it overlaps that
   * wait instead of following it: commands only, each against the committed state plus the round in
   * flight; sent only once that round is visible. Null when nothing is queued, or when a side
   * transaction, an inbox message or a passed deadline waits: those take a round of their own after
   * this one.
   */
  private Round<C> ahead(Round<C> inFlight) {
    if (!sides.isEmpty()) {
      return null;
    }
    for (PartitionWriter<C> writer : serving) {
      if (writer.messagesOrDeadlinesWait()) {
        return null;
      }
    }
    List<Part<C>> parts = take(true);
    if (parts.isEmpty()) {
      return null;
    }
    context.metrics().ahead();
    return decide(parts, inFlight);
  }

  private void fenced(List<Part<C>> parts, Exception e) {
    context.metrics().fenced();
    LOG.warn("This instance's producer was fenced by a newer one with its transactional id");
    drop(parts, new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Fenced", e));
    serving.forEach(PartitionWriter::fail);
    closeProducer(Duration.ZERO);
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
    flusher.shutdown();
    for (Side side = sides.poll(); side != null; side = sides.poll()) {
      side.done().completeExceptionally(new IllegalStateException("Closed"));
    }
  }

  /**
   * A partition's share of a round: its commands, messages and passed deadlines, and its store. The
   * writer is held ({@link PartitionWriter#take}) until {@link PartitionWriter#released}.
   */
  record Part<C>(
      PartitionWriter<C> writer,
      List<Pending<C>> commands,
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> messages,
      List<Deadlines.Deadline> due,
      LocalStore store) {}

  /** A decided round: its parts, their batches (index for index) and the inbox positions. */
  private record Round<C>(
      List<Part<C>> parts,
      List<Batch<C>> batches,
      Map<TopicPartition, OffsetAndMetadata> inboxPositions) {

    /** The round's batch of {@code writer}'s partition, or null. */
    Batch<C> batchOf(PartitionWriter<C> writer) {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).writer() == writer) {
          return batches.get(i);
        }
      }
      return null;
    }
  }
}
