package io.streamfold.command.writer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The writers' meters: {@code streamfold_writer_batch_commands} (commands per round, one
 * transaction), {@code streamfold_writer_commit_seconds} (begin to commit of a batch's
 * transaction), {@code streamfold_writer_restore_records_total}, {@code
 * streamfold_writer_fenced_total} and {@code streamfold_writer_repairs_total}.
 */
public final class WriterMetrics {
  private final DistributionSummary batchSize;
  private final Timer commit;
  private final io.micrometer.core.instrument.Counter restored;
  private final io.micrometer.core.instrument.Counter fenced;
  private final io.micrometer.core.instrument.Counter repaired;

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
    restored =
        io.micrometer.core.instrument.Counter.builder("streamfold.writer.restore.records")
            .description("Version-table and idempotency records restored into local stores")
            .register(registry);
    fenced =
        io.micrometer.core.instrument.Counter.builder("streamfold.writer.fenced")
            .description(
                "Rounds of this instance refused because it no longer owned their partitions (the"
                    + " group refused their offsets, or a newer producer fenced ours)")
            .register(registry);
    repaired =
        io.micrometer.core.instrument.Counter.builder("streamfold.writer.repairs")
            .description(
                "Version rows and idempotency records rewritten at a restore to agree with the"
                    + " event log (after a transaction the broker committed on only some of its"
                    + " partitions)")
            .register(registry);
  }

  void repaired(int records) {
    repaired.increment(records);
  }

  void fenced() {
    fenced.increment();
  }

  void batch(int commands) {
    batchSize.record(commands);
  }

  void committed(long startNanos) {
    commit.record(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  void restored(int records) {
    restored.increment(records);
  }
}
