package io.streamfold.projection.query;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfold.projection.topology.ProjectionCounters;

/**
 * The projections' meters: {@code streamfold_projection_lag_records} (total) and {@code
 * streamfold_projection_partition_lag_records} per partition of the event log (both also in {@code
 * GET /api/v1/status}), {@code streamfold_projection_dead_letters_total}, {@code
 * streamfold_projection_gaps_total}, {@code streamfold_projection_duplicates_total} and {@code
 * streamfold_projection_gaps_filled_total}; {@code streamfold_projection_event_age_seconds}, a
 * histogram of how long after its timestamp each event was applied.
 */
public final class ProjectionMetrics {
  private ProjectionMetrics() {}

  public static void bind(
      MeterRegistry registry, ProjectionCounters counters, ProjectionLag lag, int partitions) {
    Gauge.builder("streamfold.projection.lag", lag, l -> safeLag(l, -1))
        .baseUnit("records")
        .description("Events in the log not yet applied by this application")
        .register(registry);
    for (int partition = 0; partition < partitions; partition++) {
      int p = partition;
      Gauge.builder("streamfold.projection.partition.lag", lag, l -> safeLag(l, p))
          .baseUnit("records")
          .tag("partition", Integer.toString(p))
          .description("Events of one partition of the log not yet applied")
          .register(registry);
    }
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
    io.micrometer.core.instrument.Timer age =
        io.micrometer.core.instrument.Timer.builder("streamfold.projection.event.age")
            .description(
                "From an event's timestamp (its writer's send) to its projection: how fresh the"
                    + " views are (high while a rebuild replays old events)")
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofMillis(1))
            .maximumExpectedValue(java.time.Duration.ofSeconds(30))
            .register(registry);
    counters.onApplied(
        millis -> age.record(Math.max(0, millis), java.util.concurrent.TimeUnit.MILLISECONDS));
    FunctionCounter.builder(
            "streamfold.projection.gaps.filled", counters, ProjectionCounters::filled)
        .description("Missing versions applied late (replayed dead letters), filling their gap")
        .register(registry);
  }

  /** The total ({@code partition} -1) or one partition's lag; NaN while it cannot be read. */
  private static double safeLag(ProjectionLag lag, int partition) {
    try {
      ProjectionLag.Snapshot snapshot = lag.snapshot();
      return partition < 0 ? snapshot.total() : snapshot.partitions().getOrDefault(partition, 0L);
    } catch (RuntimeException unavailable) {
      return Double.NaN;
    }
  }
}
