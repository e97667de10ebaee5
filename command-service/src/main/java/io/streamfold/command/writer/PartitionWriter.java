package io.streamfold.command.writer;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.schemas.core.CommandOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition while this instance owns it: its queue of commands, its local store and where the
 * store stands. Its thread opens the store, reads who wrote the partition last ({@link
 * Restorer#awaitPreviousOwner}), fences that writer unless it released the partition ({@link
 * Committer#fenceOut}), claims the partition for its lane ({@link Committer#claim}, refused by the
 * group unless this instance is a member of its current generation), restores the store from the
 * topics up to end offsets read after that, then hands the partition to the {@link Committer},
 * whose rounds take its commands, and waits until it is stopped or fails.
 *
 * <p>A failure it cannot roll back (a Kafka error, a store failure, a commit whose result is
 * unknown) ends the writer in {@link State#FAILED}: {@link Ownership} starts a new one, which
 * restores again, once the group has confirmed that this instance still owns the partition.
 */
final class PartitionWriter<C> {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionWriter.class);

  enum State {
    RESTORING,
    SERVING,
    STOPPED,
    FAILED
  }

  private final WriterContext<C, ?, ?> context;
  private final Committer<C> committer;
  private final int partition;
  private final BlockingQueue<Pending<C>> queue;
  private final Thread thread;

  /** Held by the committer for a round that takes this partition's commands. */
  private final ReentrantLock round = new ReentrantLock();

  private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
  private volatile State state = State.RESTORING;
  private volatile boolean stopping;
  private volatile boolean claimed;

  /** The incarnation of the committer's producer under which the partition was claimed. */
  private volatile long claimedUnder = -1;

  private volatile LocalStore readable;

  /** The inbox messages read for this partition and not yet committed. */
  private final InboxBuffer inbox = new InboxBuffer();

  /** The partition's process deadlines; the committer's once serving. */
  private final Deadlines deadlines = new Deadlines();

  /** Where the store stands; written by the restore, then only by the committer's rounds. */
  private volatile PartitionStore.Checkpoint position;

  PartitionWriter(WriterContext<C, ?, ?> context, Committer<C> committer, int partition) {
    this.context = context;
    this.committer = committer;
    this.partition = partition;
    this.queue = new ArrayBlockingQueue<>(context.queueCapacity());
    this.thread =
        new Thread(this::run, "writer-" + context.aggregate().collection() + "-" + partition);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  State state() {
    return state;
  }

  int partition() {
    return partition;
  }

  /** Whether this writer claimed the partition for its lane: only then may it release it. */
  boolean claimed() {
    return claimed;
  }

  long claimedUnder() {
    return claimedUnder;
  }

  /** Where the store stands (null before the restore). */
  PartitionStore.Checkpoint position() {
    return position;
  }

  /** Serving, and not being stopped. */
  boolean serving() {
    return !stopping && state == State.SERVING;
  }

  /** Queues the command; the future fails with a {@link WriteFailure} when it cannot be decided. */
  CompletableFuture<CommandOutcome> submit(CommandEnvelope<C> command) {
    Pending<C> pending = Pending.of(command);
    State now = state;
    if (now != State.SERVING) {
      return failed(
          now == State.RESTORING ? WriteFailure.Kind.NOT_READY : WriteFailure.Kind.NOT_OWNER,
          "Partition " + partition + " is " + now.name().toLowerCase(Locale.ROOT));
    }
    if (!queue.offer(pending)) {
      return failed(
          WriteFailure.Kind.NOT_READY,
          "Partition " + partition + " has " + context.queueCapacity() + " commands waiting");
    }
    if (state != State.SERVING && queue.remove(pending)) { // stopped between the check and offer
      return failed(WriteFailure.Kind.NOT_OWNER, "Partition " + partition + " moved");
    }
    committer.wake();
    return pending.outcome();
  }

  /**
   * The committer's share of this partition for a round: the queued commands (at most {@code max}),
   * its inbox messages and passed deadlines unless {@code commandsOnly}, and the store, with the
   * partition held until {@link #released}; null when it is not serving, is held by another thread,
   * or has nothing queued. The committer's own thread may take it again while a round of its own
   * holds it: each take is released once.
   */
  Committer.Part<C> take(int max, boolean commandsOnly) {
    if (stopping || state != State.SERVING) {
      return null;
    }
    List<Deadlines.Deadline> due =
        commandsOnly || deadlines.size() == 0
            ? List.of()
            : deadlines.due(context.clock().instant(), max);
    boolean messages = !commandsOnly && !inbox.isEmpty();
    if ((queue.isEmpty() && !messages && due.isEmpty()) || !round.tryLock()) {
      return null;
    }
    if (stopping || state != State.SERVING) {
      round.unlock();
      return null;
    }
    List<Pending<C>> commands = new ArrayList<>(Math.min(max, queue.size()));
    queue.drainTo(commands, max);
    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> taken =
        messages ? inbox.head(max) : List.of();
    if (commands.isEmpty() && taken.isEmpty() && due.isEmpty()) {
      round.unlock();
      return null;
    }
    return new Committer.Part<>(this, commands, taken, due, readable);
  }

  /**
   * Up to {@code max} more queued commands for the round that holds this partition (the caller's),
   * none once the partition is being stopped.
   */
  List<Pending<C>> more(int max) {
    if (max <= 0 || stopping || state != State.SERVING || queue.isEmpty()) {
      return List.of();
    }
    List<Pending<C>> commands = new ArrayList<>(Math.min(max, queue.size()));
    queue.drainTo(commands, max);
    return commands;
  }

  /**
   * Whether inbox messages or passed deadlines wait: a round decided while the one before is in
   * flight takes commands only (the messages and deadlines of the round in flight are dropped only
   * once it commits), so the committer does not decide ahead while these wait.
   */
  boolean messagesOrDeadlinesWait() {
    return !inbox.isEmpty()
        || (deadlines.size() > 0 && !deadlines.due(context.clock().instant(), 1).isEmpty());
  }

  /**
   * A round that took {@code part} committed: its inbox messages and deadlines are done, and the
   * deadlines its decisions asked for are kept.
   */
  void committed(Committer.Part<C> part, java.util.Map<String, java.time.Instant> asked) {
    inbox.drop(part.messages().size());
    deadlines.fired(part.due());
    asked.forEach(deadlines::add);
  }

  /** The round that took this partition is over. */
  void released() {
    round.unlock();
  }

  /** A round committed: the store now stands at {@code to}. */
  void advance(PartitionStore.Checkpoint to) {
    position = to;
  }

  /** The partition must restore before it decides anything else. */
  void fail() {
    if (state != State.STOPPED) {
      state = State.FAILED;
    }
    LockSupport.unpark(thread);
  }

  /**
   * The committed version row of {@code aggregateId} (null if none), read on the caller's thread.
   *
   * @throws WriteFailure while restoring or once stopped
   */
  byte[] committedVersion(String aggregateId) {
    return read(store -> store.version(aggregateId));
  }

  /**
   * The committed idempotency record of {@code key} ({@code <aggregate id>/<command id>}), or null.
   *
   * @throws WriteFailure while restoring or once stopped
   */
  byte[] committedIdempotency(String key) {
    return read(store -> store.idempotency(key));
  }

  private byte[] read(java.util.function.Function<LocalStore, byte[]> read) {
    storeLock.readLock().lock();
    try {
      if (state != State.SERVING || readable == null) {
        throw new WriteFailure(
            state == State.RESTORING ? WriteFailure.Kind.NOT_READY : WriteFailure.Kind.NOT_OWNER,
            "Partition " + partition + " is " + state.name().toLowerCase(Locale.ROOT));
      }
      return read.apply(readable);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  private static CompletableFuture<CommandOutcome> failed(WriteFailure.Kind kind, String message) {
    return CompletableFuture.failedFuture(new WriteFailure(kind, message));
  }

  /**
   * Takes the partition out of every later round and waits, however long, for the round in progress
   * that holds it: a hand-over (the group revoking the partition) must not complete while a round
   * of ours may still commit to it, since the group only refuses the offset commits of a member
   * that left or of an old generation, and this instance stays a member. Then answers what is
   * queued with NOT_OWNER, and waits at most {@code wait} for the store to close.
   */
  void stop(Duration wait) {
    stopping = true;
    LockSupport.unpark(thread);
    round.lock(); // take() checks stopping once it has the lock, so no later round holds it
    round.unlock();
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Claims the partition, retrying for a few seconds while the group refuses (a rebalance under
   * way); a member whose generation is over keeps being refused until the group tells it so.
   */
  private void claim(long versionsOffset) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        claimedUnder = committer.claim(partition, versionsOffset);
        claimed = true;
        return;
      } catch (Exception e) {
        if (stopping || attempt == CLAIM_ATTEMPTS) {
          throw e;
        }
        LOG.debug(
            "Partition {}: the claim was refused ({}); trying again", partition, e.toString());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
  }

  private static final int CLAIM_ATTEMPTS = 25;

  /** A process aggregate's deadlines, from every version row of the partition. */
  private void readDeadlines(LocalStore store) {
    io.streamfold.command.domain.Process<C, ?, ?> process = context.aggregate().process();
    if (process != null) {
      readDeadlines(context.aggregate(), store);
    }
  }

  private <S> void readDeadlines(
      io.streamfold.command.aggregate.Aggregate<C, ?, S> aggregate, LocalStore store) {
    store.forEachVersion(
        (id, row) -> {
          S state = Decide.state(aggregate, context.serdes().versions().decode(row));
          java.time.Instant at = aggregate.process().deadline(state);
          if (at != null) {
            deadlines.add(id, at);
          }
        });
    if (deadlines.size() > 0) {
      LOG.info("Partition {}: {} process deadlines pending", partition, deadlines.size());
    }
  }

  private void run() {
    LocalStore store = null;
    try {
      store = context.stores().apply(partition);
      long start = System.nanoTime();
      Claim previous = Restorer.awaitPreviousOwner(context, partition);
      if (previous.mustFence(committer.transactionalId())) {
        Committer.fenceOut(context, previous.writer(), committer.transactionalId());
        context.metrics().fencedPrevious();
        LOG.info(
            "Partition {} of {}: fenced {}, its previous writer, which had not released it",
            partition,
            context.aggregate().collection(),
            previous.writer());
      }
      claim(store.checkpoint().versions());
      position =
          Restorer.restore(
              context,
              partition,
              store,
              (rows, records, mark, versionsOffset) ->
                  committer.repair(partition, versionsOffset, rows, records, mark));
      LOG.info(
          "Partition {} of {}: no earlier owner's transaction undecided, restored to {} in {} ms;"
              + " serving",
          partition,
          context.aggregate().collection(),
          position,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      context.visibility().follow(partition, position, this);
      readDeadlines(store);
      context
          .inbox()
          .follow(partition, Restorer.inboxPosition(context, partition), inbox, committer::wake);
      readable = store;
      if (!stopping) {
        state = State.SERVING;
        committer.serve(this);
      }
      while (!stopping && state == State.SERVING) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    } catch (Exception e) {
      state = State.FAILED;
      if (!stopping) {
        LOG.warn("Writer of partition {} failed; it will restore again", partition, e);
      }
    } finally {
      committer.release(this);
      round.lock(); // the round in progress, if any, is over
      try {
        if (state != State.FAILED) {
          state = State.STOPPED;
        }
        List<Pending<C>> left = new ArrayList<>();
        queue.drainTo(left);
        Batch.fail(
            left,
            new WriteFailure(WriteFailure.Kind.NOT_OWNER, "Partition moved"),
            context.completions());
        context.visibility().unfollow(partition, this);
        context.inbox().unfollow(partition, inbox);
        if (store != null) {
          storeLock.writeLock().lock();
          try {
            readable = null;
            store.close();
          } finally {
            storeLock.writeLock().unlock();
          }
        }
      } finally {
        round.unlock();
      }
    }
  }
}
