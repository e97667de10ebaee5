package io.streamfold.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The services' logback.xml, as they load it. */
class LogbackConfigTest {

  private static LoggerContext configured(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.putProperty("LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackConfigTest.class.getResource("/logback.xml"));
    return context;
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void shouldDropTheExpectedKafkaLinesInTheAppenderNotAtEveryLevelCheck(String format)
      throws Exception {
    LoggerContext context = configured(format);
    assertThat(context.getTurboFilterList())
        .as("a turbo filter is asked at every level check (the Kafka clients check per record)")
        .isEmpty();

    @SuppressWarnings("unchecked")
    UnsynchronizedAppenderBase<ILoggingEvent> appender =
        (UnsynchronizedAppenderBase<ILoggingEvent>)
            context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(format);
    assertThat(appender).isNotNull();
    Logger sender = context.getLogger(ExpectedTransactionRetries.SENDER);
    String retry =
        "[Producer clientId=w] Got error produce response with correlation id 7 on topic-partition"
            + " t-0, retrying (9 attempts left). Error: ";
    Logger client = context.getLogger(InternalTopicsNotYetCreated.CLIENT);
    String unknown =
        "[Consumer clientId=c, groupId=g] The metadata response from the cluster reported a"
            + " recoverable issue with correlation id 2 : {app-x-repartition"
            + "=UNKNOWN_TOPIC_OR_PARTITION}";

    assertThat(decision(appender, sender, retry + "CONCURRENT_TRANSACTIONS"))
        .isEqualTo(FilterReply.DENY);
    assertThat(decision(appender, client, unknown)).isEqualTo(FilterReply.DENY);
    assertThat(decision(appender, sender, retry + "OUT_OF_ORDER_SEQUENCE_NUMBER"))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decision(appender, client, unknown.replace("app-x-repartition", "accounts.events")))
        .isEqualTo(FilterReply.NEUTRAL);

    context.getLogger("org.apache.kafka").setLevel(Level.DEBUG); // LOG_LEVEL_KAFKA=DEBUG
    assertThat(decision(appender, sender, retry + "CONCURRENT_TRANSACTIONS"))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decision(appender, client, unknown)).isEqualTo(FilterReply.NEUTRAL);
    context.stop();
  }

  private static FilterReply decision(
      UnsynchronizedAppenderBase<ILoggingEvent> appender, Logger logger, String line) {
    return appender.getFilterChainDecision(
        new LoggingEvent(Logger.FQCN, logger, Level.WARN, line, null, null));
  }
}
