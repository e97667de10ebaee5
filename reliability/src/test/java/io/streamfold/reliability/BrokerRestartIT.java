package io.streamfold.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.devstack.KafkaBroker;
import io.streamfold.devstack.SharedStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The broker stopped (and, every other time, killed) and restarted under load: both services report
 * not ready while it is gone, become ready again by themselves, and the log and projections agree
 * with the clients afterwards.
 */
class BrokerRestartIT {
  @Test
  void shouldRecoverByThemselvesFromBrokerRestarts() throws Exception {
    int restarts = Soak.count("broker.restarts", 2, 12);
    int between = Soak.count("commands.between.restarts", 200, 3000);
    List<String> recoveries = new ArrayList<>();
    try (KafkaBroker broker = KafkaBroker.builder().build().start();
        Cluster cluster =
            Cluster.start(
                "broker-restart",
                broker.bootstrapServers(),
                SharedStack.registry().url(),
                1,
                1,
                Map.of("LOG_LEVEL_KAFKA", "INFO"))) {
      List<ServiceProcess> services = new ArrayList<>(cluster.commands);
      services.addAll(cluster.projections);
      Ledger ledger = new Ledger();
      List<String> accounts = IntStream.range(0, 12).mapToObj(i -> "acct-" + i).toList();
      Workload workload =
          new Workload(
                  cluster::commandUrls,
                  ledger,
                  new Workload.Options(accounts, 8, false, Duration.ofSeconds(120), 0.05))
              .start();

      for (int restart = 0; restart < restarts; restart++) {
        workload.awaitAnswered(between, Duration.ofMinutes(3));
        boolean crash = restart % 2 == 1;
        if (crash) {
          broker.kill();
        } else {
          broker.stop();
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .alias("every service reports not ready while the broker is gone")
            .until(() -> services.stream().noneMatch(ServiceProcess::isReady));
        Pause.of(Duration.ofSeconds(2));
        long restarted = System.nanoTime();
        broker.start();
        try {
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(250))
              .alias("every service is ready again by itself")
              .until(() -> services.stream().allMatch(ServiceProcess::isReady));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          System.out.println(Transactions.describeOpen(broker.bootstrapServers()));
          throw e;
        }
        recoveries.add(
            (crash ? "kill" : "stop")
                + ": ready "
                + Duration.ofNanos(System.nanoTime() - restarted).toMillis()
                + " ms after the broker restarted");
      }
      workload.awaitAnswered(between, Duration.ofMinutes(3));
      workload.stop();

      Verdict.assertSound(
          "BrokerRestartIT",
          broker.bootstrapServers(),
          SharedStack.registry().url(),
          cluster,
          ledger,
          workload,
          restarts + " broker restarts survived " + recoveries);
      assertThat(workload.statusCodes()).isSubsetOf(200, 201, 422, 503, 504, -1);
      assertThat(services).allMatch(ServiceProcess::isAlive);
      assertThat(services).allMatch(s -> s.starts() == 1);
    }
  }
}
