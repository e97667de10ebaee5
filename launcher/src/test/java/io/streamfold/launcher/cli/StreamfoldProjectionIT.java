package io.streamfold.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import io.streamfold.devstack.SharedStack;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.it.FixablePoison;
import io.streamfold.service.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The blue-green rebuild from the command line, against a real broker, registry, command service
 * and projection service: {@code projection rebuild} starts a projection-service process under a
 * new application id and waits for it, {@code compare} finds its stores equal to the live ones (and
 * a deployment of another log different), {@code switch} hands the readers over and back.
 */
class StreamfoldProjectionIT {
  static Cli.Result cli(String projections, String... args) {
    return Cli.run(projections, args);
  }

  static ProjectionService projections(Map<String, String> environment, String appId) {
    Map<String, String> env = new HashMap<>(environment);
    int port = Ports.freeLoopbackPort();
    env.put("APPLICATION_ID", appId);
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("STATE_DIR", Dirs.temporary("cli-projection-").toString());
    return ProjectionService.start(ProjectionServiceConfig.fromEnv(env), Clock.systemUTC());
  }

  @Test
  void shouldRebuildCompareAndSwitchReaders() throws Exception {
    Map<String, String> env = Instances.environment("cli-bluegreen");
    env.put("TOPIC_PARTITIONS", "3");
    Path state = Dirs.temporary("cli-rebuild-");
    try (CommandService commands = Instances.start(env);
        ProjectionService blue = projections(env, env.get("APPLICATION_ID") + "-blue")) {
      String blueUrl = "http://127.0.0.1:" + blue.port();
      await().atMost(Duration.ofSeconds(90)).until(() -> commands.isReady() && blue.isReady());
      String api = Instances.url(commands) + "/api/v1/accounts/";
      for (int i = 1; i <= 6; i++) {
        assertThat(
                Http.post(
                        api + "bg-" + i + "/open",
                        "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\""
                            + i
                            + ".00\"}")
                    .status())
            .isEqualTo(201);
      }
      assertThat(Http.post(api + "bg-1/deposit", "{\"amount\":\"2.50\"}").status()).isEqualTo(200);

      int port = Ports.freeLoopbackPort();
      String greenUrl = "http://127.0.0.1:" + port;
      try {
        Cli.Result rebuild =
            cli(
                blueUrl,
                "projection",
                "rebuild",
                "--app-id",
                env.get("APPLICATION_ID") + "-green",
                "--port",
                Integer.toString(port),
                "--state-dir",
                state.toString(),
                "--bootstrap-servers",
                env.get("KAFKA_BOOTSTRAP_SERVERS"),
                "--registry",
                env.get("SCHEMA_REGISTRY_URL"),
                "--topic-prefix",
                env.get("TOPIC_PREFIX"),
                "--key-file",
                keyFile(state).toString());
        assertThat(rebuild.exit()).as(rebuild.out() + rebuild.err()).isZero();
        assertThat(rebuild.out()).contains("Started projection-service").contains("Caught up");
        assertThat(rebuild.err()).contains("folding the log [");
        assertThat(Http.get(greenUrl + "/api/v1/accounts/bg-1").json().get("balance").asText())
            .isEqualTo("3.50");

        Cli.Result compare = cli(blueUrl, "projection", "compare", "--with", greenUrl);
        assertThat(compare.exit()).as(compare.out() + compare.err()).isZero();
        assertThat(compare.out()).contains("Equal: ").contains("store partitions");

        Map<String, String> otherLog = Instances.environment("cli-otherlog");
        FixablePoison.createEventLog(
            SharedStack.broker().bootstrapServers(),
            otherLog.get("TOPIC_PREFIX") + "accounts.events");
        try (ProjectionService other = projections(otherLog, otherLog.get("APPLICATION_ID"))) {
          await().atMost(Duration.ofSeconds(90)).until(other::isReady);
          Cli.Result different =
              cli(
                  blueUrl,
                  "projection",
                  "compare",
                  "--with",
                  "http://127.0.0.1:" + other.port(),
                  "--attempts",
                  "2",
                  "--json");
          assertThat(different.exit()).isEqualTo(1);
          JsonNode report = Json.mapper().readTree(different.out());
          assertThat(report.get("equal").asBoolean()).isFalse();
          assertThat(report.get("differences").size()).isPositive();
        }

        Cli.Result switched = cli(blueUrl, "projection", "switch", "--to", greenUrl);
        assertThat(switched.exit()).as(switched.out() + switched.err()).isZero();
        Http.Response moved = Http.get(blueUrl + "/api/v1/accounts/bg-1?minVersion=2");
        assertThat(moved.status()).isEqualTo(307);
        assertThat(moved.header("Location"))
            .isEqualTo(greenUrl + "/api/v1/accounts/bg-1?minVersion=2");
        assertThat(Http.get(moved.header("Location")).json().get("balance").asText())
            .isEqualTo("3.50");
        assertThat(Http.get(blueUrl + "/health/ready").status()).isEqualTo(503);
        assertThat(Http.get(blueUrl + "/api/v1/status").status()).isEqualTo(200);
        assertThat(Http.get(greenUrl + "/health/ready").status()).isEqualTo(200);

        Cli.Result back = cli(greenUrl, "projection", "switch", "--to", blueUrl);
        assertThat(back.exit()).as(back.out() + back.err()).isZero();
        assertThat(Http.get(blueUrl + "/api/v1/accounts/bg-1").status()).isEqualTo(200);
        assertThat(Http.get(greenUrl + "/api/v1/accounts/bg-1").status()).isEqualTo(307);

        assertThat(cli(blueUrl, "projection", "rebuild").exit()).isEqualTo(2); // no --app-id
        assertThat(cli(blueUrl, "projection", "compare").exit()).isEqualTo(2); // no --with
      } finally {
        Path pid = state.resolve("pid");
        if (Files.exists(pid)) {
          ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
              .ifPresent(
                  process -> {
                    process.destroy();
                    process.onExit().join();
                  });
        }
      }
    }
  }

  /** The services' key-encryption key in a file, as an operator hands it to the command line. */
  private static java.nio.file.Path keyFile(java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    return java.nio.file.Files.writeString(
        dir.resolve("key-encryption-key"), Instances.TEST_KEY_ENCRYPTION_KEY + "\n");
  }
}
