package io.streamfold.service.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops a Kafka client's line that says nothing an operator can act on, unless the client's logger
 * is at DEBUG ({@code LOG_LEVEL_KAFKA=DEBUG}), when every line is kept.
 *
 * <p>An appender's filter, not a turbo filter: a turbo filter is asked before every level check of
 * every logger, and the Kafka clients check {@code isTraceEnabled} for each record they send or
 * cache; with two turbo filters logback copies its filter list on each of those checks (4% of a
 * projection rebuild's stream thread, {@code bench/profiles/2026-12-03-log-checks/}). An appender's
 * filter sees only the lines that are written.
 */
abstract class KafkaLineFilter extends Filter<ILoggingEvent> {

  @Override
  public final FilterReply decide(ILoggingEvent event) {
    FilterReply reply = decide(event, event.getMessage(), event.getArgumentArray());
    return reply == FilterReply.DENY && loggedAtDebug(event.getLoggerName())
        ? FilterReply.NEUTRAL
        : reply;
  }

  /**
   * DENY for a line to drop; {@code message} is the line's format, or the whole line when Kafka's
   * {@code LogContext} formatted its arguments into it ({@code params} then null).
   */
  protected abstract FilterReply decide(ILoggingEvent event, String message, Object[] params);

  private boolean loggedAtDebug(String loggerName) {
    return getContext() instanceof LoggerContext loggers
        && loggers.getLogger(loggerName).isDebugEnabled();
  }
}
