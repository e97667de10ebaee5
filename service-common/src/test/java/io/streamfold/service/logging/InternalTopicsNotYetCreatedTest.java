package io.streamfold.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class InternalTopicsNotYetCreatedTest {
  private static final String FORMAT =
      "[Consumer clientId=c, groupId=g] The metadata response from the cluster reported a"
          + " recoverable issue with correlation id {} : {}";

  private final LoggerContext context = new LoggerContext();
  private final InternalTopicsNotYetCreated filter = new InternalTopicsNotYetCreated();

  InternalTopicsNotYetCreatedTest() {
    filter.setContext(context);
  }

  private FilterReply decide(String loggerName, Level level, Map<String, Errors> errors) {
    return decide(context.getLogger(loggerName), level, FORMAT, new Object[] {2, errors});
  }

  private FilterReply decide(Logger logger, Level level, String message, Object[] params) {
    return filter.decide(new LoggingEvent(Logger.FQCN, logger, level, message, null, params));
  }

  @Test
  void shouldDropOnlyUnknownInternalTopicsOfKafkaStreams() {
    String client = InternalTopicsNotYetCreated.CLIENT;
    context.getLogger(client).setLevel(Level.WARN);
    Map<String, Errors> repartition =
        Map.of("app-accounts-by-owner-repartition", Errors.UNKNOWN_TOPIC_OR_PARTITION);

    assertThat(decide(client, Level.WARN, repartition)).isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                client,
                Level.WARN,
                Map.of(
                    "app-summaries-changelog", Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "accounts.events", Errors.UNKNOWN_TOPIC_OR_PARTITION)))
        .as("a source topic is missing too")
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                client, Level.WARN, Map.of("app-x-repartition", Errors.TOPIC_AUTHORIZATION_FAILED)))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("org.apache.kafka.clients.Other", Level.WARN, repartition))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(client, Level.ERROR, repartition)).isEqualTo(FilterReply.NEUTRAL);

    // as Kafka's LogContext logs it: the arguments already formatted into the message
    String formatted =
        "[Consumer clientId=c, groupId=g] The metadata response from the cluster reported a"
            + " recoverable issue with correlation id 2 : {app-accounts-by-owner-repartition"
            + "=UNKNOWN_TOPIC_OR_PARTITION}";
    assertThat(decide(context.getLogger(client), Level.WARN, formatted, null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                context.getLogger(client),
                Level.WARN,
                formatted.replace("}", ", accounts.events=UNKNOWN_TOPIC_OR_PARTITION}"),
                null))
        .isEqualTo(FilterReply.NEUTRAL);

    context.getLogger(client).setLevel(Level.DEBUG);
    assertThat(decide(client, Level.WARN, repartition)).isEqualTo(FilterReply.NEUTRAL);
  }
}
