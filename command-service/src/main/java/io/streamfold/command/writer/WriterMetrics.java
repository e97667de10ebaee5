package io.streamfold.command.writer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The writers' meters: {@code streamfold_writer_batch_commands} (commands per round, one
 * transaction), {@code streamfold_writer_commit_seconds} (begin to commit of a batch's
 * transaction), {@code streamfold_writer_restore_records_total}, {@code
 * streamfold_writer_fenced_total}, {@code streamfold_writer_previous_fenced_total}, {@code
 * streamfold_writer_repairs_total}, {@code streamfold_writer_rounds_ahead_total} and {@code
 * streamfold_writer_phase_seconds}: where a round's time goes, by {@code phase} ({@link Phase}).
 */
public final class WriterMetrics {
  private final DistributionSummary batchSize;
  private final Timer commit;
  private final Timer inboxAge;
  private final io.micrometer.core.instrument.Counter restored;
  private final io.micrometer.core.instrument.Counter fenced;
  private final io.micrometer.core.instrument.Counter repaired;
  private final io.micrometer.core.instrument.Counter fencedPrevious;
  private final io.micrometer.core.instrument.Counter ahead;
  private final java.util.EnumMap<Phase, Timer> phases = new java.util.EnumMap<>(Phase.class);

  /** The steps of a command's way through a round, timed separately. */
  enum Phase {
    /** From a command's arrival in its partition's queue until a round takes it (per command). */
    QUEUED,
    /**
     * Deciding the round's commands (for a round decided ahead, while the round before is read
     * back, so within that round's {@code VISIBLE}).
     */
    DECIDE,
    /**
     * Handing the records to the producer, flushing them and committing the transaction (the round
     * before, when it waited for this one, is stored and answered meanwhile).
     */
    COMMIT,
    /**
     * From the commit until a read_committed consumer has read the round back (deciding the next
     * round meanwhile).
     */
    VISIBLE,
    /** Bringing the local stores to the round's checkpoint, and answering its commands. */
    FINISH
  }

  public WriterMetrics(MeterRegistry registry) {
    batchSize =
        DistributionSummary.builder("streamfold.writer.batch.commands")
            .description("Commands decided in one round of the instance (one transaction)")
            .register(registry);
    commit =
        Timer.builder("streamfold.writer.commit")
            .description("From the first write of a batch to its commit")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    inboxAge =
        Timer.builder("streamfold.writer.inbox.age")
            .description(
                "From a message's write to its inbox (its record's time) to the round that decides"
                    + " it: how long processes' messages and replies wait")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    for (Phase phase : Phase.values()) {
      phases.put(
          phase,
          Timer.builder("streamfold.writer.phase")
              .description("Time spent in one phase of a round (queued: per command)")
              .tag("phase", phase.name().toLowerCase(java.util.Locale.ROOT))
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofNanos(10_000))
              .maximumExpectedValue(Duration.ofSeconds(10))
              .register(registry));
    }
    fencedPrevious =
        counter(
            registry,
            "streamfold.writer.previous.fenced",
            "Previous writers of a partition fenced by this instance when it took the partition"
                + " over (they had not released it: crashed, or paused past their session"
                + " time-out)");
    restored =
        counter(
            registry,
            "streamfold.writer.restore.records",
            "Version-table and idempotency records restored into local stores");
    fenced =
        counter(
            registry,
            "streamfold.writer.fenced",
            "Rounds of this instance refused because its lane had been fenced (a new owner of"
                + " one of the lane's partitions took it over, or a newer producer with its id)");
    ahead =
        counter(
            registry,
            "streamfold.writer.rounds.ahead",
            "Rounds decided while the round before was being read back, and sent once it was"
                + " visible");
    repaired =
        counter(
            registry,
            "streamfold.writer.repairs",
            "Version rows and idempotency records rewritten at a restore to agree with the"
                + " event log (after a transaction the broker committed on only some of its"
                + " partitions)");
  }

  private static io.micrometer.core.instrument.Counter counter(
      MeterRegistry registry, String name, String description) {
    return io.micrometer.core.instrument.Counter.builder(name)
        .description(description)
        .register(registry);
  }

  void repaired(int records) {
    repaired.increment(records);
  }

  void fencedPrevious() {
    fencedPrevious.increment();
  }

  void fenced() {
    fenced.increment();
  }

  void ahead() {
    ahead.increment();
  }

  void batch(int commands) {
    batchSize.record(commands);
  }

  void committed(long startNanos) {
    commit.record(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /** Records the phase as lasting from {@code startNanos} until now; returns now. */
  long phase(Phase phase, long startNanos) {
    long now = System.nanoTime();
    phases.get(phase).record(now - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    return now;
  }

  /** A round takes a message written at {@code timestampMs}. */
  void inboxAge(long timestampMs) {
    inboxAge.record(Math.max(0, System.currentTimeMillis() - timestampMs), TimeUnit.MILLISECONDS);
  }

  void restored(int records) {
    restored.increment(records);
  }
}
