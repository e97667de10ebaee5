package io.streamfold.command.writer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions this instance owns: a member of the consumer group {@code <application id>}
 * subscribed to the version-table topic (its partitions paused: the group only assigns, nothing is
 * consumed through it), with the cooperative sticky assignor so a rebalance moves only the
 * partitions that must move and the others keep serving. Its client id carries the instance's
 * advertised address, which is how {@link OwnerDirectory} finds the owner of a partition.
 *
 * <p>Assigned: a {@link PartitionWriter} starts (fence the previous writer unless it released the
 * partition, claim, restore, serve). Revoked: the writer finishes its round and stops, and its lane
 * releases the partition ({@link Claim}) before it is handed over. Lost (the group expelled us,
 * e.g. after a pause longer than the session time-out): the writer stops at once; the new owner has
 * fenced its lane, or will before it restores. A writer that failed is replaced only after the
 * group has rebalanced since, so a writer is only ever started for a partition the group confirms
 * is ours.
 */
final class Ownership<C> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);
  private static final String CLIENT_ID_PREFIX = "streamfold-owner@";

  private final WriterContext<C, ?, ?> context;
  private final java.util.function.IntFunction<Committer<C>> committers;
  private final AtomicReference<ConsumerGroupMetadata> group;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<Integer, PartitionWriter<C>> writers = new ConcurrentHashMap<>();
  private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean joined;
  private int replaceAfterGeneration = -1;
  private long replaceNotBefore;
  private int failuresInARow;

  /**
   * @param committers the committer of each partition's rounds
   * @param group where the group's metadata is published after each rebalance, for the committer's
   *     offset commits (the consumer itself may only be touched by the thread that polls it)
   */
  Ownership(
      WriterContext<C, ?, ?> context,
      java.util.function.IntFunction<Committer<C>> committers,
      AtomicReference<ConsumerGroupMetadata> group,
      String advertisedServer) {
    this.context = context;
    this.committers = committers;
    this.group = group;
    Properties config = new Properties();
    config.putAll(context.clientProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, context.applicationId());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID_PREFIX + advertisedServer);
    config.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "ownership-" + context.aggregate().collection());
    this.thread.setDaemon(true);
  }

  /** The advertised server of a group member, from its client id; null if not one of ours. */
  static String serverOf(String clientId) {
    return clientId != null && clientId.startsWith(CLIENT_ID_PREFIX)
        ? clientId.substring(CLIENT_ID_PREFIX.length())
        : null;
  }

  void start() {
    consumer.subscribe(List.of(context.topics().versions()), new Listener());
    thread.start();
  }

  /** The writer of {@code partition} if this instance owns it, else null. */
  PartitionWriter<C> writer(int partition) {
    return writers.get(partition);
  }

  /** Whether the group has assigned this instance its partitions and every one is serving. */
  boolean isServing() {
    return joined
        && thread.isAlive()
        && assigned.stream()
            .allMatch(
                p -> {
                  PartitionWriter<C> writer = writers.get(p);
                  return writer != null && writer.state() == PartitionWriter.State.SERVING;
                });
  }

  /**
   * False once the ownership loop has stopped on its own (not by {@link #close}): this instance
   * then serves no partition again until it is restarted.
   */
  boolean isAlive() {
    return !running || thread.isAlive();
  }

  /** Whether the group has given this instance its first assignment. */
  boolean hasJoined() {
    return joined;
  }

  private void run() {
    try {
      while (running) {
        consumer.poll(Duration.ofMillis(100));
        replaceFailedWriters();
      }
    } catch (WakeupException closing) {
      // close() was called
    } catch (RuntimeException e) {
      LOG.error("The ownership loop stopped; this instance serves no partition until restarted", e);
    } finally {
      stopWriters(writers.keySet(), Duration.ofSeconds(10));
      assigned.clear();
      consumer.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(5)));
      stopped.countDown();
    }
  }

  private void replaceFailedWriters() {
    boolean failed = false;
    for (Map.Entry<Integer, PartitionWriter<C>> entry : writers.entrySet()) {
      if (entry.getValue().state() == PartitionWriter.State.FAILED) {
        writers.remove(entry.getKey(), entry.getValue());
        failed = true;
      }
    }
    int generation = consumer.groupMetadata().generationId();
    if (failed) {
      // back off, 250 ms doubling to 8 s while writers keep failing (the cluster is unwell)
      failuresInARow = Math.min(failuresInARow + 1, 6);
      replaceNotBefore = System.nanoTime() + (250_000_000L << (failuresInARow - 1));
      replaceAfterGeneration = generation;
      consumer.enforceRebalance("a partition writer failed");
      return;
    }
    if (isServing()) {
      failuresInARow = 0;
    }
    if (generation > replaceAfterGeneration && System.nanoTime() >= replaceNotBefore) {
      for (int partition : assigned) {
        if (!writers.containsKey(partition)) {
          startWriter(partition);
        }
      }
    }
  }

  private void startWriter(int partition) {
    PartitionWriter<C> writer =
        new PartitionWriter<>(context, committers.apply(partition), partition);
    writers.put(partition, writer);
    writer.start();
  }

  private List<PartitionWriter<C>> stopWriters(Collection<Integer> partitions, Duration wait) {
    List<PartitionWriter<C>> stopped = new java.util.ArrayList<>();
    for (int partition : List.copyOf(partitions)) {
      PartitionWriter<C> writer = writers.remove(partition);
      if (writer != null) {
        writer.stop(wait);
        stopped.add(writer);
      }
    }
    return stopped;
  }

  /**
   * Records, per lane, that the stopped writers' partitions are handed over after their last round
   * ({@link Claim}), so that their next owner does not fence the lane (which would fail the rounds
   * of the lane's other partitions here). Only a writer that claimed its partition releases it: its
   * claim came after it had fenced any earlier writer. A release that fails leaves the claim
   * standing, and the next owner fences the lane: safe, only slower.
   */
  private void release(List<PartitionWriter<C>> stopped) {
    Map<Committer<C>, Map<Integer, Long>> byLane = new java.util.LinkedHashMap<>();
    for (PartitionWriter<C> writer : stopped) {
      if (writer.claimed()) {
        PartitionStore.Checkpoint position = writer.position();
        byLane
            .computeIfAbsent(
                committers.apply(writer.partition()), lane -> new java.util.TreeMap<>())
            .put(writer.partition(), position == null ? 0L : position.versions());
      }
    }
    byLane.forEach(
        (committer, partitions) -> {
          try {
            committer.release(partitions);
          } catch (Exception e) {
            LOG.warn(
                "Could not release partitions {} ({}); their next owner fences this lane instead",
                partitions.keySet(),
                e.toString());
          }
        });
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      group.set(consumer.groupMetadata()); // called after every rebalance, even with nothing new
      joined = true;
      consumer.pause(partitions);
      for (TopicPartition partition : partitions) {
        assigned.add(partition.partition());
        if (!writers.containsKey(partition.partition())) {
          startWriter(partition.partition());
        }
      }
      if (!partitions.isEmpty()) {
        LOG.info("Assigned partitions {} of {}", numbers(partitions), context.topics().versions());
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      group.set(consumer.groupMetadata());
      List<Integer> numbers = numbers(partitions);
      numbers.forEach(assigned::remove);
      release(stopWriters(numbers, Duration.ofSeconds(10)));
      if (!partitions.isEmpty()) {
        LOG.info("Handed over partitions {}", numbers);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      group.set(consumer.groupMetadata());
      List<Integer> numbers = numbers(partitions);
      numbers.forEach(assigned::remove);
      stopWriters(numbers, Duration.ofSeconds(1));
      LOG.warn("Lost partitions {} (expelled from the group; their new owner fenced us)", numbers);
    }

    private List<Integer> numbers(Collection<TopicPartition> partitions) {
      return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }
  }
}
