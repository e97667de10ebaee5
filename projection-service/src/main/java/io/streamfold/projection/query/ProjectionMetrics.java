package io.streamfold.projection.query;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfold.projection.topology.ProjectionCounters;

/**
 * The projections' meters: {@code streamfold_projection_lag_records} (total), {@code
 * streamfold_projection_dead_letters_total}, {@code streamfold_projection_gaps_total} and {@code
 * streamfold_projection_duplicates_total}. Per-partition lag is in {@code GET /api/v1/status} and,
 * as the consumer's {@code records-lag}, among the Kafka Streams metrics.
 */
public final class ProjectionMetrics {
  private ProjectionMetrics() {}

  public static void bind(MeterRegistry registry, ProjectionCounters counters, ProjectionLag lag) {
    Gauge.builder("streamfold.projection.lag", lag, l -> safeLag(l))
        .baseUnit("records")
        .description("Events in the log not yet applied by this application")
        .register(registry);
    FunctionCounter.builder(
            "streamfold.projection.dead.letters", counters, ProjectionCounters::deadLetters)
        .description("Poison events sent to the dead-letter topic")
        .register(registry);
    FunctionCounter.builder("streamfold.projection.gaps", counters, ProjectionCounters::gaps)
        .description("Version gaps met in the event log")
        .register(registry);
    FunctionCounter.builder(
            "streamfold.projection.duplicates", counters, ProjectionCounters::duplicates)
        .description("Events skipped as not newer than the view")
        .register(registry);
  }

  private static double safeLag(ProjectionLag lag) {
    try {
      return lag.snapshot().total();
    } catch (RuntimeException unavailable) {
      return Double.NaN;
    }
  }
}
