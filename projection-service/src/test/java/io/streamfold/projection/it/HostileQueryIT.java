package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import io.streamfold.command.it.Hostile;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.projection.ProjectionService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based hostile queries over real HTTP against a real projection service: bad {@code
 * minVersion}, {@code asOf}, {@code waitMs}, paging parameters and ids are always a 4xx
 * problem+json, never a 5xx, and the projected account never changes.
 */
class HostileQueryIT {
  static CommandService commands;
  static ProjectionService projections;
  static String api;
  static String expected;

  @BeforeContainer
  static void start() {
    Map<String, String> env = Instances.environment("hostile-queries");
    commands = Instances.start(env);
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    projections = ProjectionInstances.start(projectionEnv);
    await().atMost(Duration.ofSeconds(90)).until(() -> commands.isReady() && projections.isReady());
    String commandApi = Instances.url(commands) + "/api/v1/accounts/q-target";
    assertThat(Http.post(commandApi + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\"}").status())
        .isEqualTo(201);
    assertThat(Http.post(commandApi + "/deposit", "{\"amount\":\"7.00\"}").status()).isEqualTo(200);
    api = ProjectionInstances.url(projections);
    Http.Response read = Http.get(api + "/api/v1/accounts/q-target?minVersion=2");
    assertThat(read.status()).isEqualTo(200);
    expected = read.raw().body();
  }

  @AfterContainer
  static void stop() {
    try {
      assertThat(Http.get(api + "/api/v1/accounts/q-target").raw().body()).isEqualTo(expected);
      System.out.printf("HostileQueryIT: %d hostile queries, all 4xx%n", Hostile.tried());
    } finally {
      projections.close();
      commands.close();
    }
  }

  static void refused(String path, String parameter, String value) {
    String url =
        api
            + path
            + (path.contains("?") ? "&" : "?")
            + parameter
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    Hostile.assertRefused(Http.get(url), parameter + "=" + value);
  }

  @Property(tries = 120)
  void badVersionsAndWaitsAreRefused(
      @ForAll("versionPaths") String path,
      @ForAll("versionParameters") String parameter,
      @ForAll("notPositiveNumbers") String value) {
    refused(path, parameter, value);
  }

  @Property(tries = 60)
  void badStreamStartsAreRefused(@ForAll("notPositiveNumbers") String value) {
    Assume.that(!value.equals("0"));
    refused("/api/v1/streams/accounts/q-target/events", "from", value);
    refused("/api/v1/transfers/q-transfer/history", "from", value);
    refused("/api/v1/streams/transfers/q-transfer/events", "from", value);
  }

  @Property(tries = 60)
  void badStreamIdsAreRefused(@ForAll("badIds") String id) {
    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    Hostile.assertRefused(
        Http.get(api + "/api/v1/streams/accounts/" + encoded + "/events"), "stream id " + id);
  }

  /** Not a position, a collection or an event type: 400, never a stream that never ends. */
  @Property(tries = 120)
  void badSubscriptionsAreRefused(
      @ForAll("subscriptionParameters") String parameter, @ForAll("notPositions") String value) {
    String url =
        api
            + "/api/v1/events?"
            + parameter
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    Hostile.assertRefused(
        Http.get(url, "Accept", "text/event-stream"), "subscription " + parameter + "=" + value);
  }

  @Property(tries = 60)
  void badLastEventIdsAreRefused(@ForAll("notPositions") String value) {
    Assume.that(!value.isBlank());
    Hostile.assertRefused(
        Http.get(api + "/api/v1/events", "Accept", "text/event-stream", "Last-Event-ID", value),
        "Last-Event-ID " + value);
  }

  /** Not a dead letter's id ({@code <partition>-<offset>}), as a path or a page's start: 400. */
  @Property(tries = 60)
  void badDeadLetterIdsAreRefused(@ForAll("notDeadLetterIds") String id) {
    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    Hostile.assertRefused(Http.get(api + "/api/v1/dead-letters/" + encoded), "dead letter " + id);
    Hostile.assertRefused(
        postOnceMore(api + "/api/v1/dead-letters/" + encoded + "/replay"), "replay of " + id);
    refused("/api/v1/dead-letters", "from", id);
  }

  /**
   * Jetty closes the connection after refusing a malformed URI (a {@code %00}); the JDK client may
   * already have handed that connection to the next request, and it retries only a GET on one that
   * answers nothing. So a POST that got no byte back is sent again, once: it was never read.
   */
  private static Http.Response postOnceMore(String url) {
    try {
      return Http.post(url, "");
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("received no bytes")) {
        return Http.post(url, "");
      }
      throw e;
    }
  }

  /** Not a successor to hand the readers to: 400, and the instance keeps its readers. */
  @Property(tries = 60)
  void badRetirementsAreRefused(@ForAll("notSuccessors") String body) {
    Hostile.assertRefused(
        Http.post(api + "/api/v1/admin/retire", body, "Content-Type", "application/json"),
        "retire " + body);
    assertThat(Http.get(api + "/api/v1/admin/retire").json().get("retired").asBoolean()).isFalse();
  }

  @Provide
  Arbitrary<String> notSuccessors() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "",
            "{}",
            "[]",
            "null",
            "{\"successor\":null}",
            "{\"successor\":42}",
            "{\"successor\":\"\"}",
            "{\"successor\":\"ftp://host:1\"}",
            "{\"successor\":\"http://\"}",
            "{\"successor\":\"http://host:1/path\"}",
            "{\"successor\":\"http://host:1?q=1\"}",
            "{\"successor\":\"not a url\"}",
            "{\"successor\":\"javascript:alert(1)\"}",
            "{\"successor\""),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(40),
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(40)
            .map(v -> "{\"successor\":\"" + v.replace("\\", "").replace("\"", "") + "\"}")
            .filter(v -> !v.matches("\\{\"successor\":\"https?://[^/?#]+/?\"}")));
  }

  @Provide
  Arbitrary<String> notDeadLetterIds() {
    return Arbitraries.oneOf(
            Arbitraries.of(
                "x", "0", "-1", "0-", "-0", "0--1", "1-2-3", "0-1.5", "0-99999999999999999999"),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(30))
        .filter(
            s ->
                !s.matches("\\d{1,9}-\\d{1,18}")
                    && !s.isBlank()
                    && !s.equals(".")
                    && !s.equals(".."));
  }

  @Provide
  Arbitrary<String> versionPaths() {
    return Arbitraries.of(
        "/api/v1/accounts/q-target",
        "/api/v1/streams/accounts/q-target/events",
        "/api/v1/transfers/q-transfer");
  }

  @Provide
  Arbitrary<String> subscriptionParameters() {
    return Arbitraries.of("from", "collection", "types");
  }

  /** Printable strings that are none of start, end, accounts or an event type. */
  @Provide
  Arbitrary<String> notPositions() {
    return Arbitraries.oneOf(
            Arbitraries.of(
                "djE7YWNjb3VudHM9OTk5OTk5OTk5", // v1;accounts=999999999: ahead of the log
                "djI7YWNjb3VudHM9MA", // v2;accounts=0
                "djE7YWNjb3VudHM9LTE", // v1;accounts=-1
                "djE7eD0w", // v1;x=0
                "A".repeat(5_000),
                "%00",
                "start,end"),
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(60))
        .filter(
            v ->
                !v.equals("start")
                    && !v.equals("end")
                    && !v.equals("accounts")
                    && !v.matches(
                        "\\s*(AccountOpened|MoneyDeposited|MoneyWithdrawn|AccountClosed)\\s*"));
  }

  @Property(tries = 120)
  void badInstantsAreRefused(@ForAll("notInstants") String value, @ForAll boolean transfer) {
    refused(transfer ? "/api/v1/transfers/q-transfer" : "/api/v1/accounts/q-target", "asOf", value);
  }

  /**
   * The transfers' list and their index by account: a bad key, cursor or limit, or a parameter that
   * names no index (a misspelt index is never taken for "all").
   */
  @Property(tries = 120)
  void badListAndIndexQueriesAreRefused(
      @ForAll("badIds") String id,
      @ForAll("notPositiveNumbers") String limit,
      @ForAll("notListParameters") String parameter) {
    refused("/api/v1/transfers", "account", id);
    refused("/api/v1/transfers", "cursor", id);
    Hostile.assertRefused(
        Http.get(api + "/api/v1/transfers?account=q-target&limit=" + encoded(limit)),
        "limit=" + limit);
    Hostile.assertRefused(Http.get(api + "/api/v1/transfers?limit=" + encoded(limit)), limit);
    Hostile.assertRefused(
        Http.get(api + "/api/v1/transfers?" + encoded(parameter) + "=q-target"), parameter);
  }

  @Provide
  Arbitrary<String> notListParameters() {
    return Arbitraries.oneOf(
            Arbitraries.of("acount", "Account", "status", "id", "from", "to", "cursor[]"),
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20))
        .filter(p -> !p.equals("account") && !p.equals("cursor") && !p.equals("limit"));
  }

  /** A total that does not exist, under any name: 404, never a 5xx or someone else's total. */
  @Property(tries = 60)
  void unknownTotalsAreRefused(@ForAll("badIds") String collection, @ForAll("badIds") String name) {
    Hostile.assertRefused(
        Http.get(api + "/api/v1/totals/" + encoded(collection) + "/" + encoded(name)),
        "total " + collection + "/" + name);
    Hostile.assertRefused(
        Http.get(api + "/api/v1/totals/transfers/" + encoded(name)), "total transfers/" + name);
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Property(tries = 120)
  void badPagingIsRefused(
      @ForAll("pagedPaths") String path, @ForAll("notPositiveNumbers") String value) {
    refused(path, "limit", value);
  }

  @Property(tries = 60)
  void limitsBeyondTheMaximumAreRefused(
      @ForAll("pagedPaths") String path, @ForAll("overLimit") long value) {
    refused(path, "limit", Long.toString(value));
  }

  @Property(tries = 60)
  void badOwnerIdsAreRefused(@ForAll("badIds") String value) {
    refused("/api/v1/accounts", "ownerId", value);
  }

  @Property(tries = 120)
  void badIdsAreRefused(@ForAll("badIds") String id, @ForAll("idPaths") String suffix) {
    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    Hostile.assertRefused(Http.get(api + "/api/v1/accounts/" + encoded + suffix), "id " + id);
  }

  @Provide
  Arbitrary<String> versionParameters() {
    return Arbitraries.of("minVersion", "waitMs");
  }

  @Provide
  Arbitrary<String> notPositiveNumbers() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "0",
            "-1",
            "01",
            "1.5",
            "1e3",
            "",
            " ",
            "abc",
            "9999999999999999999999",
            "0x1",
            "+1",
            "١"),
        Arbitraries.longs().lessOrEqual(0).map(String::valueOf),
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(30)
            .filter(s -> !s.matches("[1-9][0-9]{0,17}")));
  }

  @Provide
  Arbitrary<Long> overLimit() {
    return Arbitraries.longs().between(1001, 999_999_999_999L);
  }

  @Provide
  Arbitrary<String> notInstants() {
    return Arbitraries.oneOf(
            Arbitraries.of(
                "2026-01-02",
                "2026-01-02T03:04:05",
                "yesterday",
                "1700000000",
                "2026-13-01T00:00:00Z",
                "2026-01-02T25:00:00Z",
                "2026-01-02 03:04:05Z",
                "",
                "+999999999-12-31T23:59:59Z1"),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(40))
        .filter(HostileQueryIT::notAnInstant);
  }

  @Provide
  Arbitrary<String> pagedPaths() {
    return Arbitraries.of(
        "/api/v1/accounts",
        "/api/v1/accounts/q-target/history",
        "/api/v1/accounts?ownerId=ada",
        "/api/v1/streams/accounts/q-target/events",
        "/api/v1/dead-letters",
        "/api/v1/transfers",
        "/api/v1/transfers/q-transfer/history",
        "/api/v1/streams/transfers/q-transfer/events");
  }

  @Provide
  Arbitrary<String> badIds() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().ofMinLength(65).ofMaxLength(300),
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(30)
            .filter(s -> !s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")));
  }

  @Provide
  Arbitrary<String> idPaths() {
    return Arbitraries.of("", "/history");
  }

  static boolean notAnInstant(String value) {
    try {
      OffsetDateTime.parse(value);
      return false;
    } catch (RuntimeException e) {
      try {
        Instant.parse(value);
        return false;
      } catch (RuntimeException again) {
        return true;
      }
    }
  }
}
