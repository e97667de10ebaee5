package io.streamfold.command.writer;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.state.HostInfo;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;

/**
 * The write side of one aggregate type on this instance: the partitions it owns, their writers, and
 * where every other partition's owner is. The HTTP layer asks {@link #route} where a command goes,
 * {@link #submit}s the local ones and forwards the rest.
 */
public final class CommandWriter<C, S> implements AutoCloseable {
  private final Aggregate<C, ?, S> aggregate;
  private final int partitions;
  private final CoreSerdes serdes;
  private final Ownership<C> ownership;
  private final List<Committer<C>> committers = new ArrayList<>();
  private final Visibility visibility;
  private final Inbox inbox;
  private final OwnerDirectory directory;
  private final LRUCache cache;
  private final ExecutorService completions;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param applicationId names the ownership group and prefixes the transactional ids
   * @param advertisedServer {@code host:port} where other instances reach this one
   * @param stateDir where the partitions' local stores live
   * @param maxBatch the most commands in one transaction
   * @param lanes how many transactions the instance has in flight (at most one per partition)
   * @param queueCapacity the most commands waiting for one partition
   */
  public record Settings(
      String applicationId,
      String advertisedServer,
      Topics topics,
      int partitions,
      Properties clientProperties,
      Path stateDir,
      Duration idempotencyWindow,
      int maxBatch,
      int lanes,
      int queueCapacity,
      long storeCacheBytes) {}

  private <E> CommandWriter(
      Aggregate<C, E, S> aggregate,
      Settings settings,
      SchemaRegistry registry,
      boolean autoRegister,
      Clock clock,
      MeterRegistry meters,
      UnaryOperator<LocalStore> stores) {
    this.aggregate = aggregate;
    this.partitions = settings.partitions();
    this.serdes = CoreSerdes.of(registry, autoRegister);
    RocksDB.loadLibrary();
    this.cache = new LRUCache(settings.storeCacheBytes());
    this.completions =
        Executors.newFixedThreadPool(
            Math.max(2, 2 * Runtime.getRuntime().availableProcessors()),
            io.streamfold.service.DaemonThreads.named("writer-completion"));
    int ttlSeconds =
        (int) Math.min(Integer.MAX_VALUE, settings.idempotencyWindow().toSeconds() + 60);
    WriterContext<C, E, S> context =
        new WriterContext<>(
            aggregate,
            settings.topics(),
            settings.applicationId(),
            settings.clientProperties(),
            serdes,
            clock,
            settings.idempotencyWindow(),
            partition ->
                stores.apply(
                    PartitionStore.open(
                        WriterContext.storeDir(
                            settings.stateDir(), aggregate.collection(), partition),
                        cache,
                        ttlSeconds)),
            settings.maxBatch(),
            settings.queueCapacity(),
            new WriterMetrics(meters),
            completions,
            new Visibility(
                Restorer.consumer(
                    settings.clientProperties(),
                    settings.applicationId() + "-" + aggregate.collection() + "-visibility",
                    500,
                    "read_committed"),
                settings.topics().events(),
                settings.topics().versions(),
                settings.topics().idempotency(),
                aggregate.collection()),
            new Inbox(
                Restorer.consumer(
                    settings.clientProperties(),
                    settings.applicationId() + "-" + aggregate.collection() + "-inbox",
                    500,
                    "read_committed"),
                settings.topics().inbox(),
                aggregate.collection()));
    this.visibility = context.visibility();
    this.inbox = context.inbox();
    AtomicReference<ConsumerGroupMetadata> group = new AtomicReference<>();
    // Lanes: partition p goes to committer p mod lanes, each with its transactional producer. Ids
    // are the instance's (a restart fences its previous incarnation at once) and the lane's.
    int lanes = Math.max(1, Math.min(settings.partitions(), settings.lanes()));
    for (int lane = 0; lane < lanes; lane++) {
      committers.add(
          new Committer<>(
              context,
              settings.applicationId()
                  + "-"
                  + aggregate.collection()
                  + "-writer@"
                  + settings.advertisedServer()
                  + "-"
                  + lane,
              group));
    }
    this.ownership =
        new Ownership<>(
            context,
            partition -> committers.get(partition % lanes),
            group,
            settings.advertisedServer());
    this.directory =
        new OwnerDirectory(
            settings.clientProperties(), settings.applicationId(), settings.topics().versions());
  }

  /** Joins the ownership group; partitions are served as soon as they are assigned and restored. */
  public static <C, E, S> CommandWriter<C, S> start(
      Aggregate<C, E, S> aggregate,
      Settings settings,
      SchemaRegistry registry,
      boolean autoRegister,
      Clock clock,
      MeterRegistry meters) {
    return start(aggregate, settings, registry, autoRegister, clock, meters, store -> store);
  }

  /**
   * The same, with every partition's local store wrapped by {@code stores} (tests inject faults).
   */
  static <C, E, S> CommandWriter<C, S> start(
      Aggregate<C, E, S> aggregate,
      Settings settings,
      SchemaRegistry registry,
      boolean autoRegister,
      Clock clock,
      MeterRegistry meters,
      UnaryOperator<LocalStore> stores) {
    CommandWriter<C, S> writer =
        new CommandWriter<>(aggregate, settings, registry, autoRegister, clock, meters, stores);
    writer.committers.forEach(Committer::start);
    writer.ownership.start();
    return writer;
  }

  /** The partition of {@code aggregateId}: Kafka's default partitioner on the UTF-8 key. */
  public int partitionOf(String aggregateId) {
    return Utils.toPositive(Utils.murmur2(aggregateId.getBytes(StandardCharsets.UTF_8)))
        % partitions;
  }

  /** Where the command for {@code aggregateId} is decided. */
  public sealed interface Route {
    record Local() implements Route {}

    record Remote(HostInfo owner) implements Route {}

    record Unknown() implements Route {}
  }

  /**
   * Where the command for {@code aggregateId} goes, riding out a rebalance: waits, at most {@code
   * wait}, while its partition has no known owner or is restoring here, so a hand-over of a few
   * hundred milliseconds costs a command that much latency rather than a 503. With a zero wait it
   * answers at once.
   *
   * @param fresh ask the group at once rather than trusting the cached directory (a stale route)
   */
  public Route route(String aggregateId, Duration wait, boolean fresh) {
    int partition = partitionOf(aggregateId);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      PartitionWriter<C> local = ownership.writer(partition);
      boolean late = System.nanoTime() >= deadline;
      if (local != null && (local.state() == PartitionWriter.State.SERVING || late)) {
        return new Route.Local();
      }
      if (local == null) {
        HostInfo owner = directory.owner(partition, fresh);
        if (owner != null) {
          return new Route.Remote(owner);
        }
        if (late) {
          return new Route.Unknown();
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      fresh = true;
    }
  }

  /**
   * Decides the command here; fails with {@link WriteFailure} ({@code NOT_OWNER} when this instance
   * does not own its partition).
   */
  public CompletableFuture<CommandOutcome> submit(CommandEnvelope<C> command) {
    PartitionWriter<C> writer = ownership.writer(partitionOf(command.aggregateId()));
    if (writer == null) {
      return CompletableFuture.failedFuture(
          new WriteFailure(WriteFailure.Kind.NOT_OWNER, "Not the owner of this aggregate"));
    }
    inFlight.incrementAndGet();
    CompletableFuture<CommandOutcome> outcome = writer.submit(command);
    outcome.whenComplete((o, e) -> inFlight.decrementAndGet());
    return outcome;
  }

  /**
   * The committed version and state of {@code aggregateId}, when this instance owns it.
   *
   * @throws WriteFailure when it does not, or is restoring
   */
  public Committed<S> committed(String aggregateId) {
    PartitionWriter<C> writer = ownership.writer(partitionOf(aggregateId));
    if (writer == null) {
      throw new WriteFailure(WriteFailure.Kind.NOT_OWNER, "Not the owner of this aggregate");
    }
    byte[] row = writer.committedVersion(aggregateId);
    if (row == null) {
      return null;
    }
    VersionRecord decoded = serdes.versions().decode(row);
    return new Committed<>(
        decoded.getVersion(),
        aggregate.codec().decodeState(WireFormat.toBytes(decoded.getSnapshot())));
  }

  /**
   * Whether a command of {@code aggregateId} under the client's {@code Idempotency-Key} {@code
   * commandId} has a committed outcome here (remembered, maybe past the window).
   *
   * @throws WriteFailure when this instance does not own the aggregate, or is restoring
   */
  public boolean remembers(String aggregateId, String commandId) {
    PartitionWriter<C> writer = ownership.writer(partitionOf(aggregateId));
    if (writer == null) {
      throw new WriteFailure(WriteFailure.Kind.NOT_OWNER, "Not the owner of this aggregate");
    }
    return writer.committedIdempotency(aggregateId + '/' + commandId) != null;
  }

  /** An aggregate's committed version and state. */
  public record Committed<S>(long version, S state) {}

  /**
   * Whether every partition assigned to this instance is restored and serving, and the group has an
   * owner for every partition (no rebalance half done).
   */
  public boolean isServing() {
    return ownership.isServing() && directory.ownsAll(partitions);
  }

  /**
   * False once the ownership loop or the visibility consumer has stopped on its own: the instance
   * then serves no partition, or answers no batch, until it is restarted (liveness).
   */
  public boolean isAlive() {
    return ownership.isAlive()
        && visibility.isAlive()
        && inbox.isAlive()
        && committers.stream().allMatch(Committer::isAlive);
  }

  /** Whether this instance has joined the ownership group (until then it routes nothing). */
  public boolean hasJoined() {
    return ownership.hasJoined();
  }

  /** Commands submitted here and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Waits, at most {@code timeout}, until every submitted command has its answer. */
  public void awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  /** Hands every partition over (each writer finishes its batch first) and leaves the group. */
  @Override
  public void close() {
    ownership.close();
    committers.forEach(Committer::close);
    visibility.close();
    inbox.close();
    directory.close();
    completions.shutdown();
    cache.close();
  }
}
