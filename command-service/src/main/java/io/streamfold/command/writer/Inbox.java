package io.streamfold.command.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the inbox ({@code <collection>.inbox}: processes' messages and the replies to them) of
 * every partition this instance serves: one read_committed consumer per aggregate type, on a thread
 * of its own, each partition from the position its writers committed last, into the partition's
 * {@link InboxBuffer}. The rounds decide the messages and commit the new position in the same
 * transaction as what they wrote ({@link Committer}), so each message is decided once. A partition
 * whose buffer holds {@link #CAPACITY} messages is paused until its rounds catch up.
 */
final class Inbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
  static final int CAPACITY = 2_000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  // confined to the reading thread
  private final Map<Integer, Follower> followers = new HashMap<>();

  private record Follower(InboxBuffer buffer, Runnable news) {}

  /**
   * @param consumer a read_committed consumer, assigned nothing; closed with this
   */
  Inbox(KafkaConsumer<byte[], byte[]> consumer, String topic, String name) {
    this.consumer = consumer;
    this.topic = topic;
    this.thread = new Thread(this::run, "inbox-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Reads {@code partition}'s inbox from {@code from} into {@code buffer}, calling {@code news}.
   */
  void follow(int partition, long from, InboxBuffer buffer, Runnable news) {
    submit(
        () -> {
          followers.put(partition, new Follower(buffer, news));
          reassign();
          consumer.seek(new TopicPartition(topic, partition), from);
        });
  }

  /** Stops reading {@code partition}'s inbox, unless another buffer has taken it since. */
  void unfollow(int partition, InboxBuffer buffer) {
    submit(
        () -> {
          Follower follower = followers.get(partition);
          if (follower != null && follower.buffer() == buffer) {
            followers.remove(partition);
            reassign();
          }
        });
  }

  private void submit(Runnable request) {
    requests.add(request);
    consumer.wakeup();
    LockSupport.unpark(thread);
  }

  private void run() {
    try {
      while (running) {
        try {
          for (Runnable request = requests.poll(); request != null; request = requests.poll()) {
            request.run();
          }
          if (followers.isEmpty()) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            continue;
          }
          pauseOrResume();
          List<Follower> told = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            Follower follower = followers.get(record.partition());
            if (follower != null) {
              follower.buffer().add(record);
              if (!told.contains(follower)) {
                told.add(follower);
              }
            }
          }
          told.forEach(follower -> follower.news().run());
        } catch (WakeupException news) {
          // a request to apply
        }
      }
    } catch (RuntimeException e) {
      LOG.error("The inbox consumer stopped; processes' messages wait until a restart", e);
    } finally {
      consumer.close(Duration.ZERO);
    }
  }

  private void pauseOrResume() {
    List<TopicPartition> full = new ArrayList<>();
    List<TopicPartition> free = new ArrayList<>();
    followers.forEach(
        (partition, follower) ->
            (follower.buffer().size() >= CAPACITY ? full : free)
                .add(new TopicPartition(topic, partition)));
    consumer.pause(full);
    consumer.resume(free);
  }

  private void reassign() {
    List<TopicPartition> assignment = new ArrayList<>();
    for (int partition : followers.keySet()) {
      assignment.add(new TopicPartition(topic, partition));
    }
    consumer.assign(assignment);
  }

  /** False once the reading thread has stopped on its own. */
  boolean isAlive() {
    return !running || thread.isAlive();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
