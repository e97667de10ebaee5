package io.streamfold.command.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command API's meters: {@code streamfold_command_latency_seconds} (a histogram by command and
 * outcome, from request to answer) and {@code streamfold_command_outcomes_total} by outcome kind:
 * accepted, already_exists, not_found, version_mismatch, business_rule, invalid, internal_error,
 * timeout, not_applied, not_ready, forwarded.
 */
public final class CommandMetrics {
  private final MeterRegistry registry;

  /** The meters met so far, so a request costs a map lookup rather than a registration. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public CommandMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String command, String outcome, long startNanos) {
    timers
        .computeIfAbsent(command + '/' + outcome, key -> timer(command, outcome))
        .record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    count(outcome);
  }

  void count(String outcome) {
    counters
        .computeIfAbsent(
            outcome,
            kind ->
                Counter.builder("streamfold.command.outcomes")
                    .description("Command outcomes by kind")
                    .tag("kind", kind)
                    .register(registry))
        .increment();
  }

  private Timer timer(String command, String outcome) {
    return Timer.builder("streamfold.command.latency")
        .description("Command latency from request to answer")
        .tag("command", command)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }
}
