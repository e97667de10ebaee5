package io.streamfold.reliability;

import static org.assertj.core.api.Assertions.assertThat;

/** The end of every reliability test: check the log and the projections, print, and judge. */
final class Verdict {
  private Verdict() {}

  /**
   * Runs the invariant checker over the cluster's log and projections, prints the figures (the
   * test's name, the commands issued, {@code what}, retries, replays, statuses, the report) and
   * asserts that nothing was lost, duplicated or otherwise wrong.
   */
  static InvariantChecker.Report assertSound(
      String test,
      String bootstrapServers,
      String registryUrl,
      Cluster cluster,
      Ledger ledger,
      Workload workload,
      String what) {
    InvariantChecker.Report report =
        new InvariantChecker(bootstrapServers, registryUrl, cluster.eventsTopic())
            .check(ledger, cluster.projectionUrls());
    System.out.printf(
        "%s: %d commands issued, %s, %d retries, %d replays, statuses %s; %s%n",
        test,
        workload.issued(),
        what,
        workload.retries(),
        workload.replays(),
        workload.statuses(),
        report.summary());
    assertThat(report.violations()).as("%s", report.examples()).isEmpty();
    assertThat(report.lost()).isZero();
    assertThat(report.duplicated()).isZero();
    assertThat(workload.replayMismatches()).isEmpty();
    return report;
  }
}
