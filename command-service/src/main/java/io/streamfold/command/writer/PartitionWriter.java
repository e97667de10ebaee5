package io.streamfold.command.writer;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one partition while this instance owns it, on a thread of its own: opens the
 * local store, fences every previous owner ({@code initTransactions} with the partition's
 * transactional id aborts their open transaction), restores the store from the topics up to end
 * offsets read after that, then serves: takes every queued command, decides the batch, commits once
 * and answers.
 *
 * <p>A failure it cannot roll back (a Kafka error, a store failure, a commit whose result is
 * unknown) ends the writer in {@link State#FAILED}: {@link Ownership} starts a new one, which
 * fences and restores again, once the group has confirmed that this instance still owns the
 * partition, so a paused zombie never fences the real owner back.
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
  private final int partition;
  private final BlockingQueue<Pending<C>> queue;
  private final Thread thread;

  /** How long a batch may take from its first write until it is visible, else 504. */
  static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

  private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
  private volatile State state = State.RESTORING;
  private volatile boolean stopping;
  private volatile LocalStore readable;

  PartitionWriter(WriterContext<C, ?, ?> context, int partition) {
    this.context = context;
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

  /** Queues the command; the future fails with a {@link WriteFailure} when it cannot be decided. */
  CompletableFuture<CommandOutcome> submit(CommandEnvelope<C> command) {
    Pending<C> pending = Pending.of(command);
    State now = state;
    if (now != State.SERVING) {
      return failed(
          now == State.RESTORING ? WriteFailure.Kind.NOT_READY : WriteFailure.Kind.NOT_OWNER,
          "Partition " + partition + " is " + now.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (!queue.offer(pending)) {
      return failed(
          WriteFailure.Kind.NOT_READY,
          "Partition " + partition + " has " + context.queueCapacity() + " commands waiting");
    }
    if (state != State.SERVING && queue.remove(pending)) { // stopped between the check and offer
      return failed(WriteFailure.Kind.NOT_OWNER, "Partition " + partition + " moved");
    }
    return pending.outcome();
  }

  /**
   * The committed version row of {@code aggregateId} (null if none), read on the caller's thread.
   *
   * @throws WriteFailure while restoring or once stopped
   */
  byte[] committedVersion(String aggregateId) {
    storeLock.readLock().lock();
    try {
      if (state != State.SERVING || readable == null) {
        throw new WriteFailure(
            state == State.RESTORING ? WriteFailure.Kind.NOT_READY : WriteFailure.Kind.NOT_OWNER,
            "Partition " + partition + " is " + state.name().toLowerCase(java.util.Locale.ROOT));
      }
      return readable.version(aggregateId);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  private static CompletableFuture<CommandOutcome> failed(WriteFailure.Kind kind, String message) {
    return CompletableFuture.failedFuture(new WriteFailure(kind, message));
  }

  /** Finishes the batch in progress, answers what is queued with NOT_OWNER, waits for the end. */
  void stop(Duration wait) {
    stopping = true;
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    KafkaProducer<String, byte[]> producer = null;
    LocalStore store = null;
    try {
      store = context.stores().apply(partition);
      producer = producer();
      producer.initTransactions();
      long start = System.nanoTime();
      PartitionStore.Checkpoint position = Restorer.restore(context, partition, store, producer);
      LOG.info(
          "Partition {} of {}: fenced previous owners, restored to {} in {} ms; serving",
          partition,
          context.aggregate().collection(),
          position,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      context.visibility().follow(partition, position, this);
      readable = store;
      state = State.SERVING;
      List<Pending<C>> batch = new ArrayList<>(context.maxBatch());
      while (!stopping) {
        Pending<C> first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, context.maxBatch() - 1);
          position = process(batch, producer, store, position);
          batch.clear();
        }
      }
      state = State.STOPPED;
    } catch (Exception e) {
      state = State.FAILED;
      if (fenced(e)) {
        context.metrics().fenced();
        LOG.warn("Writer of partition {} was fenced: a newer owner has taken it over", partition);
      } else if (!stopping) {
        LOG.warn("Writer of partition {} failed; it will fence and restore again", partition, e);
      }
    } finally {
      if (state != State.FAILED) {
        state = State.STOPPED;
      }
      List<Pending<C>> left = new ArrayList<>();
      queue.drainTo(left);
      Batch.fail(
          left,
          new WriteFailure(WriteFailure.Kind.NOT_OWNER, "Partition moved"),
          context.completions());
      if (producer != null) {
        producer.close(Duration.ofSeconds(state == State.FAILED ? 0 : 5));
      }
      context.visibility().unfollow(partition, this);
      if (store != null) {
        storeLock.writeLock().lock();
        try {
          readable = null;
          store.close();
        } finally {
          storeLock.writeLock().unlock();
        }
      }
    }
  }

  /**
   * Waits until the committed batch has been read back with read_committed ({@link Visibility} says
   * why), by {@code deadlineNanos}; also measured after waking, so a writer paused past it never
   * answers 200 for records that may have been aborted meanwhile.
   */
  private void awaitVisible(Batch<C> batch, long deadlineNanos) throws Exception {
    try {
      context
          .visibility()
          .await(batch.lastOffsets())
          .get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    if (System.nanoTime() > deadlineNanos) {
      throw new java.util.concurrent.TimeoutException(
          "The batch was visible only after its deadline");
    }
  }

  /** Whether {@code e}, or what caused it, says a newer owner fenced this writer's producer. */
  private static boolean fenced(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException
          || cause instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  private PartitionStore.Checkpoint process(
      List<Pending<C>> commands,
      KafkaProducer<String, byte[]> producer,
      LocalStore store,
      PartitionStore.Checkpoint position)
      throws Exception {
    context.metrics().batch(commands.size());
    Batch<C> batch = new Batch<>(context, partition, store, position);
    long start = System.nanoTime();
    try {
      batch.decide(commands, producer, producer::beginTransaction);
    } catch (RegistryUnavailableException e) {
      if (batch.writes()) {
        producer.abortTransaction();
      }
      batch.fail(commands, new WriteFailure(WriteFailure.Kind.NOT_APPLIED, e.getMessage(), e));
      return position;
    } catch (RuntimeException e) {
      batch.fail(commands, new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Aborted", e));
      throw e;
    }
    if (batch.writes()) {
      try {
        producer.commitTransaction();
        awaitVisible(batch, start + VISIBILITY_TIMEOUT.toNanos());
      } catch (ProducerFencedException | InvalidProducerEpochException e) {
        batch.fail(commands, new WriteFailure(WriteFailure.Kind.NOT_APPLIED, "Fenced", e));
        throw e;
      } catch (Exception e) {
        batch.fail(
            commands,
            new WriteFailure(WriteFailure.Kind.OUTCOME_UNKNOWN, "Commit outcome unknown", e));
        throw e;
      }
      context.metrics().committed(start);
    }
    return batch.finish(position);
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties config = new Properties();
    config.putAll(context.clientProperties());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, context.transactionalId(partition));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, context.transactionalId(partition));
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A batch's records leave together, in one request, when commitTransaction flushes them; sent
    // as decided (linger 0), the first went alone and the rest followed in a second request.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1_000);
    // The first send after a commit can be refused with CONCURRENT_TRANSACTIONS while the broker
    // finishes the previous transaction: retry within milliseconds, not the default 100 ms.
    config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 2);
    config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }
}
