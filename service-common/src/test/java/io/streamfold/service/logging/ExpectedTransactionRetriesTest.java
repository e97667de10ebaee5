package io.streamfold.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ExpectedTransactionRetriesTest {
  private static final String FORMAT =
      "[Producer clientId=w] Got error produce response with correlation id {} on topic-partition {},"
          + " retrying ({} attempts left). Error: {}";

  private final LoggerContext context = new LoggerContext();
  private final ExpectedTransactionRetries filter = new ExpectedTransactionRetries();

  ExpectedTransactionRetriesTest() {
    filter.setContext(context);
  }

  private FilterReply decide(String loggerName, Level level, Object error) {
    return decide(context.getLogger(loggerName), level, FORMAT, new Object[] {7, "t-0", 9, error});
  }

  private FilterReply decide(Logger logger, Level level, String message, Object[] params) {
    return filter.decide(new LoggingEvent(Logger.FQCN, logger, level, message, null, params));
  }

  /** The producer's WARN-or-other line about a refusal with CONCURRENT_TRANSACTIONS. */
  private FilterReply retry(Level level) {
    return decide(ExpectedTransactionRetries.SENDER, level, Errors.CONCURRENT_TRANSACTIONS);
  }

  @Test
  void shouldDropOnlyTheProducersRetryOfConcurrentTransactions() {
    context.getLogger(ExpectedTransactionRetries.SENDER).setLevel(Level.WARN);
    assertThat(retry(Level.WARN)).isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                ExpectedTransactionRetries.SENDER, Level.WARN, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                "org.apache.kafka.clients.NetworkClient",
                Level.WARN,
                Errors.CONCURRENT_TRANSACTIONS))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(retry(Level.ERROR)).isEqualTo(FilterReply.NEUTRAL);

    // as Kafka's LogContext logs it: the arguments already formatted into the message
    Logger sender = context.getLogger(ExpectedTransactionRetries.SENDER);
    String formatted =
        "[Producer clientId=w] Got error produce response with correlation id 7 on topic-partition"
            + " t-0, retrying (9 attempts left). Error: ";
    assertThat(decide(sender, Level.WARN, formatted + "CONCURRENT_TRANSACTIONS", null))
        .isEqualTo(FilterReply.DENY);
    assertThat(decide(sender, Level.WARN, formatted + "OUT_OF_ORDER_SEQUENCE_NUMBER", null))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void shouldKeepThemWhenTheProducerLogsAtDebug() {
    context.getLogger(ExpectedTransactionRetries.SENDER).setLevel(Level.DEBUG);
    assertThat(retry(Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
  }
}
