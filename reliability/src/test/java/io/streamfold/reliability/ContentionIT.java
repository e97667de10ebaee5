package io.streamfold.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.command.it.Http;
import io.streamfold.devstack.SharedStack;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Many writers on a few hot accounts, every command conditional on the last version its client saw,
 * through two command-service processes with a command timeout short enough that many answers are
 * 504 and are retried with the same {@code Idempotency-Key}; a share of answered commands is sent
 * again as after a lost response. The log must agree exactly with what the clients were told.
 */
class ContentionIT {
  @Test
  void shouldAppendExactlyTheAcceptedCommandsUnderContentionAndRetries() throws Exception {
    int load = Soak.count("contention.commands", 2000, 150_000);
    try (Cluster cluster =
        Cluster.start(
            "contention",
            SharedStack.broker().bootstrapServers(),
            SharedStack.registry().url(),
            2,
            1,
            Map.of("COMMAND_TIMEOUT", "PT0.2S"))) {
      Ledger ledger = new Ledger();
      List<String> accounts = List.of("hot-0", "hot-1", "hot-2", "hot-3");
      Workload workload =
          new Workload(
                  cluster::commandUrls,
                  ledger,
                  new Workload.Options(accounts, 32, true, Duration.ofSeconds(60), 0.1))
              .start();
      workload.awaitAnswered(load, Duration.ofMinutes(15));
      workload.stop();

      InvariantChecker.Report report =
          Verdict.assertSound(
              "ContentionIT",
              SharedStack.broker().bootstrapServers(),
              SharedStack.registry().url(),
              cluster,
              ledger,
              workload,
              "32 clients on " + accounts.size() + " hot accounts");
      assertThat(report.unknown()).as("every command got a definitive answer").isZero();
      assertThat(workload.statuses()).containsKeys(200, 412);
      assertThat(workload.statusCodes())
          .as("only answers a careful client can act on")
          .isSubsetOf(200, 201, 412, 422, 503, 504, -1);
      assertThat(workload.replays()).isPositive();
      everyInstanceReadsEveryAccount(cluster.commandUrls(), accounts);
    }
  }

  /** The write model answers the same from every instance: locally or forwarded to the owner. */
  private static void everyInstanceReadsEveryAccount(List<String> urls, List<String> accounts) {
    for (String id : accounts) {
      Set<String> etags = new HashSet<>();
      Set<String> servedBy = new HashSet<>();
      for (String url : urls) {
        Http.Response read = Http.get(url + "/api/v1/accounts/" + id);
        assertThat(read.status()).isEqualTo(200);
        etags.add(read.header("ETag"));
        servedBy.add(read.header("X-Streamfold-Served-By"));
      }
      assertThat(etags).as("one version of %s", id).hasSize(1);
      assertThat(servedBy).as("one owner answers for %s", id).hasSize(1);
    }
  }
}
