package io.streamfold.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.service.http.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command line against a real broker, registry, command service and projection service. */
class StreamfoldCliIT {
  static CommandService commands;
  static Map<String, String> env;
  static ProjectionService projections;
  static String projectionUrl;

  @BeforeAll
  static void start() {
    env = Instances.environment("cli");
    env.put("TOPIC_PARTITIONS", "3");
    commands = Instances.start(env);
    Map<String, String> projectionEnv = new HashMap<>(env);
    int port = Ports.freeLoopbackPort();
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    projectionEnv.put("HTTP_PORT", Integer.toString(port));
    projectionEnv.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    projectionEnv.put("STATE_DIR", Dirs.temporary("cli-projections-").toString());
    projections =
        ProjectionService.start(ProjectionServiceConfig.fromEnv(projectionEnv), Clock.systemUTC());
    projectionUrl = "http://127.0.0.1:" + port;
    await().atMost(Duration.ofSeconds(90)).until(() -> commands.isReady() && projections.isReady());
    String api = Instances.url(commands) + "/api/v1/accounts/cli-1";
    assertThat(
            Http.post(
                    api + "/open",
                    "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\"5.00\"}")
                .status())
        .isEqualTo(201);
    for (int i = 1; i <= 3; i++) {
      assertThat(Http.post(api + "/deposit", "{\"amount\":\"" + i + ".00\"}").status())
          .isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> Http.get(projectionUrl + "/api/v1/accounts/cli-1?minVersion=4").status() == 200);
  }

  @AfterAll
  static void stop() {
    projections.close();
    commands.close();
  }

  static Cli.Result cli(String... args) {
    return Cli.run(projectionUrl, args);
  }

  @Test
  void shouldPrintAStreamAsATableAndAsJson() throws Exception {
    Cli.Result table = cli("stream", "accounts", "cli-1");
    assertThat(table.exit()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).startsWith("VERSION").contains("TYPE").contains("DATA");
    assertThat(lines).hasSize(5);
    assertThat(lines.get(1))
        .startsWith("1")
        .contains("AccountOpened")
        .contains("\"initialDeposit\":\"5.00\"");
    assertThat(lines.get(4))
        .startsWith("4")
        .contains("MoneyDeposited")
        .contains("\"amount\":\"3.00\"");

    Cli.Result paged = cli("stream", "accounts", "cli-1", "--from", "2", "--limit", "2", "--json");
    JsonNode events = Json.mapper().readTree(paged.out());
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("version").asLong()).isEqualTo(2);
    assertThat(events.get(1).get("version").asLong()).isEqualTo(3);
  }

  @Test
  void shouldFollowTheLogFromTheStart() throws Exception {
    Cli.Result tail = cli("tail", "--from", "start", "--count", "4", "--json");
    assertThat(tail.exit()).as(tail.err()).isZero();
    List<String> lines = tail.out().lines().toList();
    assertThat(lines).hasSize(4);
    for (int i = 0; i < 4; i++) {
      JsonNode event = Json.mapper().readTree(lines.get(i));
      assertThat(event.get("aggregateId").asText()).isEqualTo("cli-1");
      assertThat(event.get("version").asLong()).isEqualTo(i + 1);
    }
    Cli.Result deposits =
        cli("tail", "--from", "start", "--types", "MoneyDeposited", "--count", "1");
    assertThat(deposits.out()).contains("accounts/cli-1  v2  MoneyDeposited");
  }

  @Test
  void shouldShowTheLagOfEveryPartition() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> cli("lag").out().contains("total 0"));
    Cli.Result lag = cli("lag");
    List<String> lines = lag.out().lines().toList();
    assertThat(lines).hasSize(6); // the header, three partitions, the owner index, the total
    assertThat(lines.get(0)).startsWith("PROJECTION");
    assertThat(lines.get(4)).startsWith("owner index").endsWith("0");
    JsonNode json = Json.mapper().readTree(cli("lag", "--json").out());
    assertThat(json.get("partitions")).hasSize(3);
  }

  @Test
  void shouldCheckThisBuildsSchemasAgainstTheRegistry() throws Exception {
    String registry = io.streamfold.devstack.SharedStack.registry().url();
    String prefix = env.get("TOPIC_PREFIX");
    Cli.Result check = cli("schemas", "check", "--registry", registry, "--topic-prefix", prefix);
    assertThat(check.exit()).as(check.out() + check.err()).isZero();
    List<String> lines = check.out().lines().toList();
    assertThat(lines.get(0)).startsWith("SUBJECT").contains("COMPATIBLE");
    assertThat(lines.get(1)).startsWith(prefix + "accounts.events-value-v2").contains("id ");
    assertThat(lines.subList(1, 10)).allSatisfy(line -> assertThat(line).endsWith("yes"));
    assertThat(check.out()).contains("are compatible");
    assertThat(check.out())
        .contains("(expected BACKWARD_TRANSITIVE)"); // the test registry: BACKWARD
    assertThat(cli("schemas", "check", "--registry", registry, "--strict").exit()).isEqualTo(1);

    Cli.Result set =
        cli("schemas", "check", "--registry", registry, "--topic-prefix", prefix, "--set-levels");
    assertThat(set.exit()).isZero();
    JsonNode report =
        Json.mapper()
            .readTree(
                cli("schemas", "check", "--registry", registry, "--topic-prefix", prefix, "--json")
                    .out());
    assertThat(report).hasSize(9);
    report.forEach(row -> assertThat(row.get("level")).isEqualTo(row.get("expectedLevel")));
    assertThat(report.get(0).get("level").asText()).isEqualTo("BACKWARD_TRANSITIVE");
    assertThat(report.get(1).get("level").asText()).isEqualTo("BACKWARD_TRANSITIVE"); // transfers
    assertThat(report.get(2).get("level").asText()).isEqualTo("BACKWARD_TRANSITIVE"); // subjects
    assertThat(report.get(3).get("level").asText()).isEqualTo("FULL_TRANSITIVE");
    assertThat(
            cli("schemas", "check", "--registry", registry, "--topic-prefix", prefix, "--strict")
                .exit())
        .isZero();

    // a registry whose event subject holds something this build cannot read: refused
    String other = "cli-schemas-" + java.util.UUID.randomUUID() + ".";
    io.streamfold.schemas.registry.HttpSchemaRegistry.cached(registry)
        .register(
            other + "accounts.events-value-v2",
            new org.apache.avro.Schema.Parser()
                .parse(
                    "{\"type\":\"record\",\"name\":\"AccountEvent\",\"namespace\":"
                        + "\"io.streamfold.schemas.account\",\"fields\":[{\"name\":\"version\","
                        + "\"type\":\"string\"}]}"));
    Cli.Result refused = cli("schemas", "check", "--registry", registry, "--topic-prefix", other);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out()).contains("NO: ").contains("would be refused");
    assertThat(cli("schemas", "check", "--registry", "http://127.0.0.1:1/apis/ccompat/v7").err())
        .contains("failed");
  }

  @Test
  void shouldExplainMistakesAndRefusals() {
    Cli.Result unknown = cli("stream", "accounts", "nobody");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("404");
    Cli.Result usage = cli("stream", "accounts");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(cli("tail", "--count", "x").exit()).isEqualTo(2);
    assertThat(cli("tail", "--types", "Nope", "--count", "1").err()).contains("400");
    assertThat(cli("nonsense").exit()).isEqualTo(2);
    Cli.Result help = cli("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("stream <collection> <id>").contains("tail").contains("lag");
  }
}
