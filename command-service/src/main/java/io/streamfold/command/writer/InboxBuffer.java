package io.streamfold.command.writer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A partition's inbox messages read and not yet decided, in offset order: {@link Inbox}'s thread
 * adds at the tail, the partition's rounds look at the head and drop what they committed. A round
 * that fails drops nothing, so the next one decides the same messages again; a writer that restores
 * starts a new buffer from the committed position.
 */
final class InboxBuffer {
  private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> records =
      new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  void add(ConsumerRecord<byte[], byte[]> record) {
    records.add(record);
    size.incrementAndGet();
  }

  int size() {
    return size.get();
  }

  boolean isEmpty() {
    return size.get() == 0;
  }

  /** The first {@code max} messages, left in place. */
  List<ConsumerRecord<byte[], byte[]>> head(int max) {
    List<ConsumerRecord<byte[], byte[]>> head = new ArrayList<>(Math.min(max, size()));
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (head.size() == max) {
        break;
      }
      head.add(record);
    }
    return head;
  }

  /** Drops the first {@code count} messages: their decisions committed. */
  void drop(int count) {
    for (int i = 0; i < count && records.poll() != null; i++) {
      size.decrementAndGet();
    }
  }
}
