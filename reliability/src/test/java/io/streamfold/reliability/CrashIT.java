package io.streamfold.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.it.Http;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import io.streamfold.devstack.SharedStack;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.it.Digests;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two command-service and two projection-service processes under load while command-service
 * instances are killed with SIGKILL again and again (and a projection instance every third time):
 * clients retry with the same {@code Idempotency-Key}, and afterwards no acknowledged command is
 * lost, none is duplicated, and the projection stores, restored after the kills, equal a rebuild
 * from scratch.
 */
class CrashIT {
  @Test
  void shouldLoseAndDuplicateNothingWhenInstancesAreKilled() throws Exception {
    int kills = Soak.count("kills", 3, 30);
    int between = Soak.count("commands.between.kills", 300, 1500);
    int projectionEvery = Soak.count("projection.kill.every", 3, 5);
    try (Cluster cluster =
        Cluster.start(
            "crash",
            SharedStack.broker().bootstrapServers(),
            SharedStack.registry().url(),
            2,
            2,
            Map.of())) {
      Ledger ledger = new Ledger();
      List<String> accounts = IntStream.range(0, 24).mapToObj(i -> "acct-" + i).toList();
      Workload workload =
          new Workload(
                  cluster::commandUrls,
                  ledger,
                  new Workload.Options(accounts, 12, false, Duration.ofSeconds(90), 0.05))
              .start();

      int projectionKills = 0;
      for (int kill = 0; kill < kills; kill++) {
        workload.awaitAnswered(between, Duration.ofMinutes(3));
        ServiceProcess victim = cluster.commands.get(kill % 2);
        victim.kill();
        ServiceProcess projection = cluster.projections.get(projectionKills % 2);
        if (kill % projectionEvery == projectionEvery / 2) {
          projection.kill();
          projectionKills++;
        }
        Pause.of(Duration.ofSeconds(1));
        victim.start();
        projection.start();
        victim.awaitReady(Duration.ofSeconds(120));
      }
      workload.awaitAnswered(between, Duration.ofMinutes(3));
      workload.stop();
      cluster.awaitReady(Duration.ofSeconds(120));

      Verdict.assertSound(
          "CrashIT",
          SharedStack.broker().bootstrapServers(),
          SharedStack.registry().url(),
          cluster,
          ledger,
          workload,
          kills + " command-service kills and " + projectionKills + " projection kills survived");
      assertThat(workload.statusCodes())
          .as("only answers a careful client can act on")
          .isSubsetOf(200, 201, 422, 503, 504, -1);

      assertStoresEqualARebuild(cluster);
    }
  }

  /** A fresh projection under a new application id folds the same log into the same stores. */
  private static void assertStoresEqualARebuild(Cluster cluster) {
    Map<String, String> env = new HashMap<>();
    int port = Ports.freeLoopbackPort();
    env.put("KAFKA_BOOTSTRAP_SERVERS", SharedStack.broker().bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", SharedStack.registry().url());
    env.put("KEY_ENCRYPTION_KEY", io.streamfold.command.it.Instances.TEST_KEY_ENCRYPTION_KEY);
    env.put("TOPIC_PREFIX", cluster.prefix);
    env.put("APPLICATION_ID", cluster.prefix + "rebuild");
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("STATE_DIR", Dirs.temporary("rebuild-state-").toString());
    try (ProjectionService rebuilt =
        ProjectionService.start(ProjectionServiceConfig.fromEnv(env), Clock.systemUTC())) {
      String url = "http://127.0.0.1:" + port;
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  rebuilt.isReady()
                      && Http.get(url + "/api/v1/status").json().get("lag").get("total").asLong()
                          == 0);
      Map<String, String> live = Digests.of(cluster.projectionUrls());
      Map<String, String> fresh = Digests.of(List.of(url));
      System.out.printf("CrashIT: %d store partitions compared with a rebuild%n", fresh.size());
      assertThat(fresh).hasSize(54).isEqualTo(live);
    }
  }
}
