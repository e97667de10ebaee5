package io.streamfold.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import io.streamfold.devstack.SharedStack;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.it.FixablePoison;
import io.streamfold.service.http.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code streamfold dlq} against a real broker, registry and projection service: a dead letter
 * listed, shown, refused while its cause is not fixed, then replayed and applied once.
 */
class StreamfoldDlqIT {
  static Cli.Result cli(String projections, String... args) {
    return Cli.run(projections, args);
  }

  @Test
  void shouldListShowAndReplayADeadLetterOnceItsCauseIsFixed() throws Exception {
    Map<String, String> env = Instances.environment("cli-dlq");
    String bootstrap = SharedStack.broker().bootstrapServers();
    String events = env.get("TOPIC_PREFIX") + "accounts.events";
    FixablePoison.createEventLog(bootstrap, events);
    int port = Ports.freeLoopbackPort();
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("STATE_DIR", Dirs.temporary("cli-dlq-").toString());
    try (ProjectionService projections =
        ProjectionService.start(ProjectionServiceConfig.fromEnv(env), Clock.systemUTC())) {
      String url = "http://127.0.0.1:" + port;
      await().atMost(Duration.ofSeconds(90)).until(projections::isReady);
      FixablePoison poison =
          FixablePoison.write(bootstrap, SharedStack.registry().url(), events, "dlq-1");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> cli(url, "dlq", "list").out().lines().count() == 2);

      Cli.Result list = cli(url, "dlq", "list");
      assertThat(list.exit()).as(list.err()).isZero();
      List<String> lines = list.out().lines().toList();
      assertThat(lines.get(0)).startsWith("ID").contains("SOURCE").contains("DECODES NOW");
      assertThat(lines.get(1)).contains("dlq-1").contains(events + ":").contains("  no  ");
      String id = lines.get(1).split("\\s+")[0];
      Cli.Result show = cli(url, "dlq", "show", id);
      assertThat(show.exit()).isZero();
      assertThat(Json.mapper().readTree(show.out()).get("error").get("stackTrace").asText())
          .isNotBlank();

      Cli.Result early = cli(url, "dlq", "replay", id);
      assertThat(early.exit()).isEqualTo(1);
      assertThat(early.err()).contains("409").contains("still cannot be decoded");
      Cli.Result none = cli(url, "dlq", "replay", "--all");
      assertThat(none.out()).contains("0 replayed, 0 refused, 1 skipped");

      poison.fix();
      Cli.Result replay = cli(url, "dlq", "replay", "--all");
      assertThat(replay.exit()).as(replay.err()).isZero();
      assertThat(replay.out()).contains("accounts/dlq-1").contains("applied");
      assertThat(replay.err()).contains("replaying [").contains("] 1/1");
      // applied means applied: the stream and the summary have it at once
      JsonNode summary = Http.get(url + "/api/v1/accounts/dlq-1").json();
      assertThat(summary.path("missingVersions").asLong()).isZero(); // shown only when some are
      assertThat(new BigDecimal(summary.get("balance").asText()))
          .isEqualByComparingTo(
              FixablePoison.OPENING.add(FixablePoison.LOST).add(FixablePoison.LATER));
      Cli.Result stream = cli(url, "stream", "accounts", "dlq-1");
      assertThat(stream.out().lines().count()).isEqualTo(4); // the header and three versions

      Cli.Result again = cli(url, "dlq", "replay", id, "--json");
      assertThat(again.exit()).isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> Http.get(url + "/api/v1/status").json().get("duplicatesSkipped").asLong() == 1);
      assertThat(Http.get(url + "/api/v1/status").json().get("gapsFilled").asLong()).isEqualTo(1);
      assertThat(EventLog.readRaw(bootstrap, events)).hasSize(3);

      assertThat(cli(url, "dlq", "show").exit()).isEqualTo(2);
      assertThat(cli(url, "dlq", "replay").exit()).isEqualTo(2);
      assertThat(cli(url, "dlq", "show", "nope").err()).contains("400");
    }
  }
}
