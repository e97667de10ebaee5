package io.streamfold.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;

/**
 * Drops the Kafka client's WARN that a metadata answer named unknown topics when every one of them
 * is an internal topic of Kafka Streams (a {@code -repartition} or {@code -changelog} topic),
 * unless the client's logger is at DEBUG ({@code LOG_LEVEL_KAFKA=DEBUG}).
 *
 * <p>On an application's first start its stream thread subscribes to its repartition topics before
 * its own rebalance has created them, and the consumer says so two or three times; Kafka Streams
 * creates them a moment later, and the line says nothing an operator can act on. An unknown topic
 * of any other kind (a source topic, a dead-letter topic) is still logged.
 */
public final class InternalTopicsNotYetCreated extends KafkaLineFilter {
  static final String CLIENT = "org.apache.kafka.clients.NetworkClient";
  private static final String MESSAGE =
      "The metadata response from the cluster reported a recoverable";

  @Override
  protected FilterReply decide(ILoggingEvent event, String format, Object[] params) {
    if (event.getLevel() != Level.WARN
        || format == null
        || !CLIENT.equals(event.getLoggerName())
        || !format.contains(MESSAGE)) {
      return FilterReply.NEUTRAL;
    }
    // Kafka's clients log through their LogContext, which formats the arguments into the message
    Map<String, String> errors =
        params != null && params.length >= 2 && params[1] instanceof Map<?, ?> map
            ? asStrings(map)
            : parse(format);
    if (errors.isEmpty()) {
      return FilterReply.NEUTRAL;
    }
    for (Map.Entry<String, String> error : errors.entrySet()) {
      String topic = error.getKey();
      if (!"UNKNOWN_TOPIC_OR_PARTITION".equals(error.getValue())
          || !(topic.endsWith("-repartition") || topic.endsWith("-changelog"))) {
        return FilterReply.NEUTRAL;
      }
    }
    return FilterReply.DENY;
  }

  private static Map<String, String> asStrings(Map<?, ?> map) {
    Map<String, String> errors = new java.util.HashMap<>();
    map.forEach((topic, error) -> errors.put(String.valueOf(topic), String.valueOf(error)));
    return errors;
  }

  /** The {@code {topic=ERROR, …}} at the end of the formatted message; empty if there is none. */
  static Map<String, String> parse(String message) {
    int open = message.lastIndexOf('{');
    int close = message.lastIndexOf('}');
    Map<String, String> errors = new java.util.HashMap<>();
    if (open < 0 || close < open) {
      return errors;
    }
    for (String entry : message.substring(open + 1, close).split(",")) {
      int equals = entry.indexOf('=');
      if (equals < 0) {
        return Map.of();
      }
      errors.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
    }
    return errors;
  }
}
