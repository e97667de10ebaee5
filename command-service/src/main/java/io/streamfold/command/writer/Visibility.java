package io.streamfold.command.writer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a committed batch is really there: a read_committed consumer of one writer that tails its
 * partition of the version table and of the idempotency records, from where the restore ended, so
 * it never seeks and its fetches run ahead of the writer (the broker holds each until the last
 * stable offset moves, and answers when a batch's markers land).
 *
 * <p>Why a writer waits for this before it answers: on Kafka 4.3.1 (transactions v2, one broker),
 * {@code BrokerRestartIT} has seen {@code commitTransaction} return for a transaction whose records
 * were then aborted across a broker restart. A batch whose records turn out aborted, or are not
 * visible in time, is answered 504 (outcome unknown), never 200. Its events need no check of their
 * own: every partition of a transaction gets the same marker. The events topic is never read here;
 * a batch's version rows and idempotency records are a few small records.
 */
final class Visibility implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;

  /**
   * @param consumer a read_committed consumer, assigned nothing; closed with this
   * @param from the next offsets of the two partitions, where the restore ended
   */
  Visibility(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition versions,
      TopicPartition idempotency,
      PartitionStore.Checkpoint from) {
    this.consumer = consumer;
    consumer.assign(List.of(versions, idempotency));
    consumer.seek(versions, from.versions());
    consumer.seek(idempotency, from.idempotency());
  }

  /** The writer of {@code partition}'s, from where its restore ended. */
  static Visibility of(
      WriterContext<?, ?, ?> context, int partition, PartitionStore.Checkpoint from) {
    return new Visibility(
        Restorer.consumer(context, partition, "visibility", 500),
        new TopicPartition(context.topics().versions(), partition),
        new TopicPartition(context.topics().idempotency(), partition),
        from);
  }

  /**
   * Returns once every record at {@code last} (partition → the batch's last offset there) has been
   * read with read_committed.
   *
   * @throws TimeoutException when that has not happened by {@code deadlineNanos} (also when the
   *     writer was paused past it: its batch may since have been aborted)
   * @throws IllegalStateException when one was skipped: its transaction was aborted
   */
  void await(Map<TopicPartition, Long> last, long deadlineNanos) throws TimeoutException {
    Map<TopicPartition, Long> waiting = new HashMap<>(last);
    while (!waiting.isEmpty()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("The batch's records were not visible in time");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofNanos(left))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Long offset = waiting.get(partition);
        if (offset != null && record.offset() == offset) {
          waiting.remove(partition);
        }
      }
      for (var entry : Map.copyOf(waiting).entrySet()) {
        if (consumer.position(entry.getKey()) > entry.getValue()) {
          throw new IllegalStateException(
              "The batch's records in " + entry.getKey() + " were aborted after their commit");
        }
      }
    }
    if (System.nanoTime() > deadlineNanos) {
      throw new TimeoutException("The batch was visible only after its deadline");
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ZERO);
  }
}
