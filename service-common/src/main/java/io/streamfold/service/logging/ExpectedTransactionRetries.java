package io.streamfold.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the Kafka producer's WARN about a produce request refused with {@code
 * CONCURRENT_TRANSACTIONS}, unless the producer's own logger is at DEBUG ({@code
 * LOG_LEVEL_KAFKA=DEBUG}).
 *
 * <p>With transactions v2 a transactional producer's first write after a commit is refused while
 * the coordinator is still writing the previous transaction's markers; the broker retries it itself
 * for a while ({@code add.partitions.to.txn.retry.backoff.max.ms}), then the producer retries it
 * until it succeeds. A writer that commits back to back meets this in normal operation, most of all
 * while a cold broker is slow, and the retry loses and duplicates nothing: the line says nothing an
 * operator can act on. Every other producer error is still logged.
 */
public final class ExpectedTransactionRetries extends KafkaLineFilter {
  static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";

  @Override
  protected FilterReply decide(ILoggingEvent event, String message, Object[] params) {
    if (event.getLevel() != Level.WARN || !SENDER.equals(event.getLoggerName())) {
      return FilterReply.NEUTRAL;
    }
    if (params == null) { // Kafka's LogContext formats the arguments into the message
      return message != null && message.endsWith("Error: CONCURRENT_TRANSACTIONS")
          ? FilterReply.DENY
          : FilterReply.NEUTRAL;
    }
    for (Object param : params) {
      if (param != null && "CONCURRENT_TRANSACTIONS".equals(param.toString())) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
