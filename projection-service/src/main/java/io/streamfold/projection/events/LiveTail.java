package io.streamfold.projection.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read of the head of the log for every subscriber that has caught up: a single read_committed
 * consumer, from the end of the log when the first subscriber came, renders each event once into a
 * ring of the latest {@code capacity} events. A subscriber reads its own consumer while it catches
 * up, joins the ring once its position is within it, reads only the ring from then on, and goes
 * back to its own consumer should it fall so far behind that the ring has moved past it. A hundred
 * live subscribers measured costing the commands they follow seven times their latency with a
 * consumer each; with the ring they cost one consumer and a hundred writes.
 *
 * <p>The ring's coverage: {@code base} holds, per partition, the offset from which every event of
 * that partition is in the ring (or not yet read); {@code head} where the tail's consumer stands
 * (past transaction markers too), matching {@code next}, the sequence number of the next event.
 */
final class LiveTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveTail.class);

  /** An event in the ring: where it is on the log, its type and its JSON. */
  record Frame(String collection, int partition, long offset, String type, byte[] json) {}

  /** What {@link #next} found: frames from the sequence asked for, and where the tail stands. */
  record Batch(List<Frame> frames, long next, Map<String, long[]> head) {}

  /** {@link #next} for a subscriber the ring has moved past. */
  static final Batch FELL_BEHIND = new Batch(List.of(), -1, Map.of());

  private final Consumer<byte[], byte[]> consumer;
  private final Map<String, String> collections; // topic → collection
  private final BiFunction<String, ConsumerRecord<byte[], byte[]>, Rendered.Event> render;
  private final Frame[] ring;
  private final Thread thread;
  private final Object lock = new Object();

  // guarded by lock
  private final Map<String, long[]> base = new LinkedHashMap<>();
  private Map<String, long[]> head = new LinkedHashMap<>();
  private long next;
  private volatile boolean running = true;

  /**
   * @param consumer a read_committed consumer, assigned nothing; the tail's thread owns and closes
   *     it
   * @param collections topic to collection name, every partition of each read
   */
  LiveTail(
      Consumer<byte[], byte[]> consumer,
      Map<String, String> collections,
      BiFunction<String, ConsumerRecord<byte[], byte[]>, Rendered.Event> render,
      int capacity) {
    this.consumer = consumer;
    this.collections = collections;
    this.render = render;
    this.ring = new Frame[capacity];
    List<TopicPartition> assigned = new ArrayList<>();
    collections.forEach(
        (topic, collection) -> {
          int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
          base.put(collection, new long[partitions]);
          for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
          }
        });
    consumer.assign(assigned);
    consumer.seekToEnd(assigned);
    head = positions();
    head.forEach(
        (collection, offsets) ->
            System.arraycopy(offsets, 0, base.get(collection), 0, offsets.length));
    thread = new Thread(this::run, "subscriptions-live-tail");
    thread.setDaemon(true);
    thread.start();
  }

  private Map<String, long[]> positions() {
    Map<String, long[]> positions = new LinkedHashMap<>();
    for (TopicPartition partition : consumer.assignment()) {
      String collection = collections.get(partition.topic());
      positions
              .computeIfAbsent(collection, c -> new long[base.get(c).length])[
              partition.partition()] =
          consumer.position(partition);
    }
    return positions;
  }

  private void run() {
    try {
      while (running) {
        List<Frame> frames = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            String collection = collections.get(record.topic());
            Rendered.Event event = render.apply(collection, record);
            frames.add(
                new Frame(
                    collection, record.partition(), record.offset(), event.type(), event.json()));
          }
        }
        Map<String, long[]> now = positions();
        synchronized (lock) {
          for (Frame frame : frames) {
            int slot = (int) (next % ring.length);
            Frame evicted = ring[slot];
            if (evicted != null) {
              base.get(evicted.collection())[evicted.partition()] = evicted.offset() + 1;
            }
            ring[slot] = frame;
            next++;
          }
          head = now;
          lock.notifyAll();
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn(
            "The live tail of the subscriptions stopped; subscribers read their own consumers", e);
      }
    } finally {
      running = false;
      synchronized (lock) {
        lock.notifyAll();
      }
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /**
   * Where a subscriber at {@code position} starts reading the ring, or -1 when it cannot yet (its
   * position is ahead of the tail, or behind what the ring holds, in some partition).
   */
  long join(Map<String, long[]> position) {
    synchronized (lock) {
      if (!running || !position.keySet().equals(head.keySet())) {
        return -1;
      }
      for (Map.Entry<String, long[]> entry : position.entrySet()) {
        long[] at = entry.getValue();
        long[] from = base.get(entry.getKey());
        long[] to = head.get(entry.getKey());
        for (int p = 0; p < at.length; p++) {
          if (at[p] < from[p] || at[p] > to[p]) {
            return -1;
          }
        }
      }
      return Math.max(0, next - ring.length);
    }
  }

  /**
   * The frames from sequence {@code from} on, waiting up to {@code wait} for one; an empty batch
   * after the wait; {@link #FELL_BEHIND} when the ring has moved past {@code from} or the tail
   * stopped. {@code head} of the batch is where the tail stood after its last frame.
   */
  Batch next(long from, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (running && from == next) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return new Batch(List.of(), next, copy(head));
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      if (!running || from < next - ring.length) {
        return FELL_BEHIND;
      }
      List<Frame> frames = new ArrayList<>((int) (next - from));
      for (long seq = from; seq < next; seq++) {
        frames.add(ring[(int) (seq % ring.length)]);
      }
      return new Batch(frames, next, copy(head));
    }
  }

  /** How many events the tail has read since it started. */
  long events() {
    synchronized (lock) {
      return next;
    }
  }

  private static Map<String, long[]> copy(Map<String, long[]> positions) {
    Map<String, long[]> copy = new LinkedHashMap<>();
    positions.forEach((collection, offsets) -> copy.put(collection, offsets.clone()));
    return copy;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
