package io.streamfold.command;

import io.streamfold.command.config.CommandServiceConfig;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;

/**
 * Kafka Streams settings of the command processor, chosen for correctness first and latency second:
 *
 * <ul>
 *   <li>{@code exactly_once_v2}: events, version-table row, outcome and the command's offset commit
 *       in one transaction, and a zombie instance is fenced;
 *   <li>a short {@code commit.interval.ms} (20 ms by default) with a short {@code poll.ms} (5 ms),
 *       and no commit requested per record: Kafka Streams halves its batch after every commit, so a
 *       commit per record would mean a transaction per command (about 60 commands/s per thread
 *       here); a timed commit costs an idle command up to one interval but lets a busy thread put
 *       every command of the interval in one transaction;
 *   <li>producer {@code linger.ms} 5: the commit flushes anyway, so lingering costs nothing when a
 *       commit is due;
 *   <li>producer {@code retry.backoff.ms} 5 (max 50): the first send of a transaction that follows
 *       a commit at once can be refused with CONCURRENT_TRANSACTIONS while the broker completes the
 *       previous one, and is retried; with the default 100 ms backoff (growing to 1 s) every such
 *       retry stalled the partition and the commands behind it (see the bench figures in the
 *       README);
 *   <li>the source serdes cannot fail (String and bytes); the processor decodes and dead-letters
 *       itself, so the deserialization handler is set to fail explicitly.
 * </ul>
 */
final class StreamsSettings {
  private StreamsSettings() {}

  static Properties of(CommandServiceConfig config) {
    Properties props = config.streamsProperties();
    props.put(StreamsConfig.POLL_MS_CONFIG, config.pollMs());
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 50);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
    return props;
  }
}
