package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.streamfold.bank.account.AccountEvent;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.SharedStack;
import io.streamfold.projection.ProjectionService;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.security.Tokens;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Both services with API keys, HS256 and RS256 tokens and a rate limit, two instances each, over
 * real HTTP: who may do what, that forwarding between instances checks the caller's credentials,
 * that the principal is recorded on the events, and that no credential reaches a log line.
 */
class SecurityIT {
  static final String WRITER_KEY = "writer-key-3f9a1c2b7d";
  static final String READER_KEY = "reader-key-8e7d6c5b4a";
  static final String FLOOD_KEY = "flood-key-1a2b3c4d5e6f";
  static final KeyPair RSA = Tokens.rsaKeyPair();
  static final String READ_TOKEN = Tokens.hs256("bob", "streamfold:read");
  static final String WRITE_TOKEN = Tokens.rs256(RSA, claims -> claims);
  static final String EXPIRED_TOKEN =
      Tokens.rs256(
          RSA, claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(300))));

  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static final Map<String, Level> levels = new HashMap<>();
  static Map<String, String> env;
  static final List<CommandService> commands = new ArrayList<>();
  static final List<ProjectionService> projections = new ArrayList<>();

  @BeforeAll
  static void start() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    for (String name : List.of("io.streamfold", "io.javalin")) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.put(name, logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    env = Instances.environment("security");
    env.put(
        "AUTH_API_KEYS",
        "alice:" + WRITER_KEY + ",reporter:" + READER_KEY + ":read,flood:" + FLOOD_KEY);
    env.put("AUTH_JWT_HS256_SECRET", Tokens.HS256_SECRET);
    env.put("AUTH_JWT_RS256_PUBLIC_KEY", Tokens.pem(RSA));
    env.put("AUTH_JWT_ISSUER", Tokens.ISSUER);
    env.put("AUTH_JWT_AUDIENCE", Tokens.AUDIENCE);
    env.put("RATE_LIMIT_PER_SECOND", "20");
    env.put("RATE_LIMIT_BURST", "40");
    commands.add(Instances.start(env));
    commands.add(Instances.start(env));
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    projections.add(ProjectionInstances.start(projectionEnv));
    projections.add(ProjectionInstances.start(projectionEnv));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                commands.stream().allMatch(CommandService::isReady)
                    && projections.stream().allMatch(ProjectionService::isReady));
  }

  @AfterAll
  static void stop() {
    projections.forEach(ProjectionService::close);
    commands.forEach(CommandService::close);
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
  }

  static String commandUrl(int instance, String path) {
    return Instances.url(commands.get(instance)) + path;
  }

  static String projectionUrl(int instance, String path) {
    return ProjectionInstances.url(projections.get(instance)) + path;
  }

  static void assertProblem(Http.Response response, int status, String code) {
    assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("type").asText()).endsWith("/" + code);
  }

  @Test
  void shouldAuthenticateAuthorizeAndRecordThePrincipal() {
    String open = "/api/v1/accounts/sec-1/open";
    String body = "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\"10.00\"}";

    Http.Response anonymous = Http.post(commandUrl(0, open), body, "Idempotency-Key", "anon");
    assertProblem(anonymous, 401, "unauthenticated");
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer realm=\"streamfold\"");
    assertProblem(
        Http.post(commandUrl(0, open), body, "Idempotency-Key", "ro", "X-API-Key", READER_KEY),
        403,
        "forbidden");
    assertProblem(
        Http.post(
            commandUrl(1, open),
            body,
            "Idempotency-Key",
            "ro-token",
            "Authorization",
            "Bearer " + READ_TOKEN),
        403,
        "forbidden");
    assertProblem(
        Http.post(
            commandUrl(1, open),
            body,
            "Idempotency-Key",
            "expired",
            "Authorization",
            "Bearer " + EXPIRED_TOKEN),
        401,
        "invalid-token");

    Http.Response opened =
        Http.post(commandUrl(0, open), body, "Idempotency-Key", "open-1", "X-API-Key", WRITER_KEY);
    assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
    assertThat(opened.json().get("events").get(0).get("principal").asText()).isEqualTo("alice");
    Http.Response deposited =
        Http.post(
            commandUrl(1, "/api/v1/accounts/sec-1/deposit"),
            "{\"amount\":\"5.00\"}",
            "Idempotency-Key",
            "deposit-1",
            "Authorization",
            "Bearer " + WRITE_TOKEN);
    assertThat(deposited.status()).as(deposited.raw().body()).isEqualTo(200);

    List<EventLog.Entry<AccountEvent>> log =
        EventLog.readAccounts(
            SharedStack.broker().bootstrapServers(),
            SharedStack.registry().url(),
            env.get("TOPIC_PREFIX") + "accounts.events");
    assertThat(log.stream().filter(e -> e.key().equals("sec-1")))
        .as("only the authorized commands wrote events, each with its principal")
        .extracting(e -> e.event().commandId() + " by " + e.event().principal())
        .containsExactly("open-1 by alice", "deposit-1 by carol");
  }

  @Test
  void shouldCheckTheCallersCredentialsOnForwardedAndInternalRequests() {
    Http.Response opened =
        Http.post(
            commandUrl(0, "/api/v1/accounts/sec-2/open"),
            "{\"owner\":\"Bob\",\"currency\":\"USD\"}",
            "X-API-Key",
            WRITER_KEY);
    assertThat(opened.status()).isEqualTo(201);
    // The write model: one instance owns the key, the other forwards with the caller's key.
    for (int i = 0; i < 2; i++) {
      String url = commandUrl(i, "/api/v1/accounts/sec-2");
      assertProblem(Http.get(url), 401, "unauthenticated");
      assertProblem(Http.get(url, Forwarder.FORWARDED_BY, "127.0.0.1:1"), 401, "unauthenticated");
      Http.Response read = Http.get(url, "Authorization", "Bearer " + READ_TOKEN);
      assertThat(read.status()).as(read.raw().body()).isEqualTo(200);
    }
    // Projections: reads on every instance, scatter-gather lists, and the internal endpoints.
    for (int i = 0; i < 2; i++) {
      String summary = projectionUrl(i, "/api/v1/accounts/sec-2?minVersion=1");
      assertProblem(Http.get(summary), 401, "unauthenticated");
      assertProblem(
          Http.get(summary, "Authorization", "Bearer " + EXPIRED_TOKEN), 401, "invalid-token");
      assertThat(Http.get(summary, "X-API-Key", READER_KEY).status()).isEqualTo(200);
      Http.Response list =
          Http.get(projectionUrl(i, "/api/v1/accounts?limit=100"), "X-API-Key", READER_KEY);
      assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
      assertThat(list.json().get("accounts").findValuesAsText("accountId")).contains("sec-2");
      String part = "/internal/v1/totals/accounts/byCurrency";
      assertProblem(Http.get(projectionUrl(i, part)), 401, "unauthenticated");
      assertThat(Http.get(projectionUrl(i, part), "X-API-Key", READER_KEY).status()).isEqualTo(200);
    }
    assertThat(Http.get(projectionUrl(0, "/health/ready")).status())
        .as("probes need no credentials")
        .isEqualTo(200);
  }

  @Test
  void shouldLimitEachPrincipalsRate() {
    Map<Integer, Integer> statuses = new HashMap<>();
    Http.Response limited = null;
    for (int i = 0; i < 100; i++) {
      Http.Response response =
          Http.get(commandUrl(0, "/api/v1/accounts/nobody"), "X-API-Key", FLOOD_KEY);
      statuses.merge(response.status(), 1, Integer::sum);
      if (response.status() == 429) {
        limited = response;
      }
    }
    assertThat(statuses.keySet()).as("%s", statuses).containsExactlyInAnyOrder(404, 429);
    assertThat(statuses.get(404)).as("the burst, plus what refilled meanwhile").isBetween(40, 80);
    assertProblem(limited, 429, "rate-limited");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertThat(Http.get(commandUrl(0, "/api/v1/accounts/nobody"), "X-API-Key", READER_KEY).status())
        .as("another principal is not limited")
        .isEqualTo(404);
  }

  @Test
  void shouldNeverLogCredentials() {
    Http.get(commandUrl(0, "/api/v1/accounts/x"), "Authorization", "Bearer " + WRITE_TOKEN);
    Http.get(commandUrl(1, "/api/v1/accounts/x"), "Authorization", "Bearer " + EXPIRED_TOKEN);
    Http.get(projectionUrl(0, "/api/v1/accounts/x"), "X-API-Key", WRITER_KEY + "-wrong");
    List<String> secrets =
        List.of(
            WRITER_KEY,
            READER_KEY,
            FLOOD_KEY,
            Tokens.HS256_SECRET,
            READ_TOKEN,
            WRITE_TOKEN,
            EXPIRED_TOKEN,
            WRITE_TOKEN.split("\\.")[2]);
    List<ILoggingEvent> events = List.copyOf(logs.list);
    assertThat(events).as("the test must have captured the services' logs").hasSizeGreaterThan(10);
    for (ILoggingEvent event : events) {
      String text =
          event.getFormattedMessage()
              + (event.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String secret : secrets) {
        assertThat(text).as("log line from %s", event.getLoggerName()).doesNotContain(secret);
      }
    }
  }
}
