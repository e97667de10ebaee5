package io.streamfold.command.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a committed batch is really there: one read_committed consumer per instance, on a thread
 * of its own, tails the events, version-table and idempotency partitions of every writer the
 * instance runs, each from where its restore ended. It never seeks after that, so its fetch is
 * already waiting on the broker when a batch commits, and one fetch serves every partition with
 * news.
 *
 * <p>Why a writer waits for this before it answers: on Kafka 4.3.1 (transactions v2, one broker),
 * {@code BrokerRestartIT} has seen {@code commitTransaction} return for a transaction whose records
 * were then aborted across a broker restart. A batch whose records turn out aborted, or are not
 * visible in time, is answered 504 (outcome unknown), never 200. The events are checked too: the
 * same test has seen one transaction committed on the events partition and, its markers lost,
 * aborted on the other two (see {@link Mark}), so the partitions of one transaction are not assumed
 * to share its fate.
 *
 * <p>A batch's record at offset {@code o} is visible once the consumer has returned a record at
 * {@code o} or later of that partition (its writer writes nothing more before it has its answer),
 * and aborted when the consumer's position has passed {@code o} without returning it. Every change
 * ({@link #follow}, {@link #unfollow}, {@link #await}) is queued for the tailing thread, which
 * alone touches the consumer.
 */
final class Visibility implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Visibility.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String events;
  private final String versions;
  private final String idempotency;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Waiter> arriving = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  /** The highest offset read per partition; written by the tailing thread only. */
  private final Map<TopicPartition, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();

  // confined to the tailing thread
  private final Map<Integer, Object> followers = new HashMap<>();
  private final List<Waiter> waiting = new ArrayList<>();

  private record Waiter(Map<TopicPartition, Long> last, CompletableFuture<Void> visible) {}

  /**
   * @param consumer a read_committed consumer, assigned nothing; closed with this
   */
  Visibility(
      KafkaConsumer<byte[], byte[]> consumer,
      String events,
      String versions,
      String idempotency,
      String name) {
    this.consumer = consumer;
    this.events = events;
    this.versions = versions;
    this.idempotency = idempotency;
    this.thread = new Thread(this::run, "visibility-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Tails {@code partition}'s three partitions from {@code from} (the events from its mark), for
   * {@code follower}.
   */
  void follow(int partition, PartitionStore.Checkpoint from, Object follower) {
    submit(
        () -> {
          followers.put(partition, follower);
          failWaiters(partition, "Partition " + partition + " restored again");
          reassign();
          seek(new TopicPartition(versions, partition), from.versions());
          seek(new TopicPartition(idempotency, partition), from.idempotency());
          seek(new TopicPartition(events, partition), from.mark().events());
        });
  }

  /** Stops tailing {@code partition}, unless another follower has taken it since. */
  void unfollow(int partition, Object follower) {
    submit(
        () -> {
          if (followers.remove(partition, follower)) {
            failWaiters(partition, "Partition " + partition + " is no longer written here");
            seen.remove(new TopicPartition(versions, partition));
            seen.remove(new TopicPartition(idempotency, partition));
            seen.remove(new TopicPartition(events, partition));
            reassign();
          }
        });
  }

  /**
   * Completes once every record at {@code last} (partition → the batch's last offset there) has
   * been read with read_committed; fails with {@link IllegalStateException} when one was skipped
   * (its transaction was aborted).
   */
  CompletableFuture<Void> await(Map<TopicPartition, Long> last) {
    CompletableFuture<Void> visible = new CompletableFuture<>();
    if (last.isEmpty()) {
      visible.complete(null);
      return visible;
    }
    arriving.add(new Waiter(Map.copyOf(last), visible));
    // Usually the batch's markers land after this, and the poll that reads them settles the
    // waiter. Only when the records were read already is the tailing thread woken up for it.
    if (last.entrySet().stream()
        .allMatch(e -> seen.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
      consumer.wakeup();
    }
    return visible;
  }

  private void submit(Runnable request) {
    requests.add(request);
    consumer.wakeup(); // when it polls
    java.util.concurrent.locks.LockSupport.unpark(thread); // when it has nothing to follow
  }

  private void run() {
    try {
      while (running) {
        try {
          for (Runnable request = requests.poll(); request != null; request = requests.poll()) {
            request.run();
          }
          if (followers.isEmpty()) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
          } else {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
              seen.merge(
                  new TopicPartition(record.topic(), record.partition()),
                  record.offset(),
                  Math::max);
            }
          }
        } catch (WakeupException news) {
          // a request to apply, or a waiter whose records were read already
        }
        for (Waiter waiter = arriving.poll(); waiter != null; waiter = arriving.poll()) {
          waiting.add(waiter);
        }
        settle();
      }
    } catch (RuntimeException e) {
      LOG.error("The visibility consumer stopped; batches will answer 504 until restarted", e);
    } finally {
      waiting.forEach(w -> w.visible().completeExceptionally(new IllegalStateException("Closed")));
      consumer.close(Duration.ZERO);
    }
  }

  /**
   * Completes every waiter whose records have been read, fails those whose records were skipped.
   */
  private void settle() {
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      boolean visible = true;
      for (Map.Entry<TopicPartition, Long> entry : waiter.last().entrySet()) {
        long offset = entry.getValue();
        if (seen.getOrDefault(entry.getKey(), -1L) >= offset) {
          continue;
        }
        visible = false;
        if (consumer.assignment().contains(entry.getKey())
            && consumer.position(entry.getKey()) > offset) {
          it.remove();
          waiter
              .visible()
              .completeExceptionally(
                  new IllegalStateException(
                      "The batch's records in "
                          + entry.getKey()
                          + " were aborted after their commit"));
          break;
        }
      }
      if (visible) {
        it.remove();
        waiter.visible().complete(null);
      }
    }
  }

  private void failWaiters(int partition, String why) {
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.last().keySet().stream().anyMatch(tp -> tp.partition() == partition)) {
        it.remove();
        waiter.visible().completeExceptionally(new IllegalStateException(why));
      }
    }
  }

  private void reassign() {
    List<TopicPartition> assignment = new ArrayList<>();
    for (int partition : followers.keySet()) {
      assignment.add(new TopicPartition(versions, partition));
      assignment.add(new TopicPartition(idempotency, partition));
      assignment.add(new TopicPartition(events, partition));
    }
    consumer.assign(assignment);
  }

  private void seek(TopicPartition partition, long offset) {
    consumer.seek(partition, offset);
    seen.put(partition, offset - 1);
  }

  /** False once the tailing thread has stopped on its own: every batch would then answer 504. */
  boolean isAlive() {
    return !running || thread.isAlive();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    java.util.concurrent.locks.LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
