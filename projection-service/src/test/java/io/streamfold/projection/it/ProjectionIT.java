package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.command.it.OpenApi;
import io.streamfold.projection.ProjectionService;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two projection instances over a 6-partition event log fed by a real command service: every
 * instance answers every key, lists are complete, read-your-writes and as-of reads work, reads
 * survive the loss of an instance, and a rebuild under a new application id equals the live stores.
 * The tests share one set of instances and run in order; the last ones stop an instance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionIT {
  static final int ACCOUNTS = 12;
  static Map<String, String> env;
  static Map<String, String> projectionEnv;
  static CommandService commands;
  static ProjectionService a;
  static ProjectionService b;
  static String commandApi;
  static final Map<String, Long> versions = new LinkedHashMap<>();
  static final Map<String, BigDecimal> balances = new HashMap<>();

  /** The money per currency, and how many accounts are open and closed in each. */
  static final String TOTALS = "/api/v1/totals/accounts/byCurrency";

  @BeforeAll
  static void start() {
    env = Instances.environment("projections");
    env.put("TOPIC_PARTITIONS", "6");
    env.put("NUM_STANDBY_REPLICAS", "1");
    commands = Instances.start(env);
    projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections-v1");
    a = ProjectionInstances.start(projectionEnv);
    b = ProjectionInstances.start(projectionEnv);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> commands.isReady() && a.isReady() && b.isReady());
    commandApi = Instances.url(commands) + "/api/v1/accounts/";
    for (int i = 0; i < ACCOUNTS; i++) {
      String id = "acc-" + i;
      assertThat(
              Http.post(
                      commandApi + id + "/open",
                      "{\"owner\":\""
                          + (i % 2 == 0 ? "Ada" : "Bob")
                          + "\",\"ownerId\":\""
                          + (i % 2 == 0 ? "ada" : "bob")
                          + "\",\"currency\":\""
                          + (i % 3 == 0 ? "USD" : "EUR")
                          + "\",\"initialDeposit\":\"10.00\"}")
                  .status())
          .isEqualTo(201);
      Http.Response deposit =
          Http.post(commandApi + id + "/deposit", "{\"amount\":\"" + (i + 1) + ".25\"}");
      assertThat(deposit.status()).isEqualTo(200);
      versions.put(id, 2L);
      balances.put(id, new BigDecimal("10.00").add(new BigDecimal((i + 1) + ".25")));
    }
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable service : new AutoCloseable[] {a, b, commands}) {
      try {
        service.close();
      } catch (Exception e) {
        // already stopped by a test
      }
    }
  }

  static Http.Response read(ProjectionService instance, String path, String... headers) {
    return Http.get(ProjectionInstances.url(instance) + path, headers);
  }

  @Test
  @Order(0)
  void shouldServeOperationsEndpoints() throws Exception {
    Http.Response document = read(a, "/openapi.json");
    assertThat(OpenApi.operations(document.raw().body())).isEqualTo(OpenApi.routes(a.routes()));
    assertThat(OpenApi.problems(document.raw().body())).isEmpty();
    assertThat(read(a, "/health/ready").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> read(a, "/api/v1/status").json().get("lag").get("total").asLong() == 0);
    JsonNode status = read(a, "/api/v1/status").json();
    assertThat(status.get("state").asText()).isEqualTo("RUNNING");
    assertThat(status.get("lag").get("partitions")).hasSize(6);
    assertThat(read(a, "/metrics").raw().body())
        .contains("streamfold_projection_lag_records 0.0")
        .contains("streamfold_projection_partition_lag_records{partition=\"5\"} 0.0")
        .contains("streamfold_projection_dead_letters_total")
        .contains("streamfold_projection_gaps_total")
        .contains("kafka_stream_thread_process_total");
  }

  @Test
  @Order(1)
  void shouldAnswerEveryKeyFromEveryInstance() {
    int forwarded = 0;
    for (String id : versions.keySet()) {
      for (ProjectionService instance : List.of(a, b)) {
        Http.Response response =
            read(instance, "/api/v1/accounts/" + id + "?minVersion=" + versions.get(id));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(new BigDecimal(response.json().get("balance").asText()))
            .isEqualByComparingTo(balances.get(id));
        assertThat(response.header("ETag")).isEqualTo("\"2\"");
        if (!response.header("X-Streamfold-Served-By").endsWith(":" + instance.port())) {
          forwarded++;
        }
      }
    }
    assertThat(forwarded)
        .as("each key is owned by one of the two, so the other forwards")
        .isEqualTo(ACCOUNTS);
  }

  @Test
  @Order(1)
  void shouldReadEveryStreamFromEveryInstance() {
    for (String id : versions.keySet()) {
      for (ProjectionService instance : List.of(a, b)) {
        Http.Response response =
            read(
                instance,
                "/api/v1/streams/accounts/" + id + "/events?minVersion=" + versions.get(id));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.json().get("events")).hasSize(2);
        assertThat(response.json().get("events").get(1).get("type").asText())
            .isEqualTo("MoneyDeposited");
      }
    }
  }

  @Test
  @Order(2)
  void shouldListEveryAccountExactlyOnceInAStableOrder() {
    List<String> listed = new ArrayList<>();
    String cursor = null;
    do {
      Http.Response page =
          read(a, "/api/v1/accounts?limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      page.json().get("accounts").forEach(account -> listed.add(account.get("accountId").asText()));
      cursor =
          page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
    } while (cursor != null);

    assertThat(listed).containsExactlyElementsOf(versions.keySet().stream().sorted().toList());
    Http.Response noFilter = read(b, "/api/v1/accounts?status=CLOSED");
    assertThat(noFilter.status()).as("a parameter the list does not know").isEqualTo(400);
  }

  @Test
  @Order(3)
  void shouldReadItsOwnWriteWithMinVersion() {
    Http.Response deposit = Http.post(commandApi + "acc-3/deposit", "{\"amount\":\"100.00\"}");
    long version = Long.parseLong(deposit.header("ETag").replace("\"", ""));
    versions.put("acc-3", version);
    balances.put("acc-3", balances.get("acc-3").add(new BigDecimal("100.00")));

    for (ProjectionService instance : List.of(a, b)) {
      Http.Response read = read(instance, "/api/v1/accounts/acc-3?minVersion=" + version);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().get("version").asLong()).isEqualTo(version);
      assertThat(new BigDecimal(read.json().get("balance").asText()))
          .isEqualByComparingTo(balances.get("acc-3"));
    }
    Http.Response impossible =
        read(a, "/api/v1/accounts/acc-3?minVersion=" + (version + 5) + "&waitMs=200");
    assertThat(impossible.status()).isEqualTo(503);
    assertThat(impossible.header("Retry-After")).isEqualTo("1");
    assertThat(impossible.json().get("currentVersion").asLong()).isEqualTo(version);
  }

  @Test
  @Order(4)
  void shouldAnswerAsOfATimeBeforeALaterDeposit() {
    Http.Response first = Http.post(commandApi + "acc-5/deposit", "{\"amount\":\"1.00\"}");
    Instant between =
        Instant.parse(first.json().get("events").get(0).get("occurredAt").asText()).plusMillis(1);
    await().pollDelay(Duration.ofMillis(5)).until(() -> Instant.now().isAfter(between));
    Http.Response second = Http.post(commandApi + "acc-5/deposit", "{\"amount\":\"50.00\"}");
    long latest = Long.parseLong(second.header("ETag").replace("\"", ""));
    BigDecimal before = balances.get("acc-5").add(new BigDecimal("1.00"));
    balances.put("acc-5", before.add(new BigDecimal("50.00")));
    versions.put("acc-5", latest);
    assertThat(read(a, "/api/v1/accounts/acc-5?minVersion=" + latest).status()).isEqualTo(200);

    for (ProjectionService instance : List.of(a, b)) {
      Http.Response asOf = read(instance, "/api/v1/accounts/acc-5?asOf=" + between);
      assertThat(asOf.status()).as(asOf.raw().body()).isEqualTo(200);
      assertThat(new BigDecimal(asOf.json().get("balance").asText())).isEqualByComparingTo(before);
    }
    assertThat(read(a, "/api/v1/accounts/acc-5?asOf=2000-01-01T00:00:00Z").status()).isEqualTo(410);
    assertThat(read(a, "/api/v1/accounts/acc-5?asOf=" + Instant.now().minusSeconds(3600)).status())
        .isEqualTo(404);
    assertThat(read(a, "/api/v1/accounts/acc-5?asOf=yesterday").status()).isEqualTo(400);
  }

  @Test
  @Order(4)
  void shouldFollowAMoneyTransferOnEveryInstanceAndShowItInBothAccounts()
      throws java.io.IOException {
    String transfers = Instances.url(commands) + "/api/v1/transfers/";
    Http.Response requested =
        Http.post(
            transfers + "move-1/request",
            "{\"from\":\"acc-1\",\"to\":\"acc-2\",\"amount\":\"1.50\",\"currency\":\"EUR\"}");
    assertThat(requested.status()).as(requested.raw().body()).isEqualTo(202);

    for (ProjectionService instance : List.of(a, b)) { // one answers, the other forwards
      Http.Response done = read(instance, "/api/v1/transfers/move-1?minVersion=4&waitMs=10000");
      assertThat(done.status()).as(done.raw().body()).isEqualTo(200);
      assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
      assertThat(done.json().get("amount").asText()).isEqualTo("1.50");
      assertThat(done.json().get("from").asText()).isEqualTo("acc-1");
      assertThat(done.json().get("reason").isNull()).isTrue();
      assertThat(done.header("ETag")).isEqualTo("\"4\"");
    }
    assertThat(read(a, "/api/v1/transfers/no-such-transfer").status()).isEqualTo(404);
    for (ProjectionService instance : List.of(a, b)) { // the transfers' index by account
      for (String account : List.of("acc-1", "acc-2")) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    read(instance, "/api/v1/transfers?account=" + account)
                        .json()
                        .get("transfers")
                        .toString()
                        .equals("[\"move-1\"]"));
      }
      assertThat(read(instance, "/api/v1/transfers?account=acc-3").json().get("transfers"))
          .isEmpty();
      JsonNode listed = read(instance, "/api/v1/transfers").json(); // every transfer once
      assertThat(listed.get("transfers")).hasSize(1);
      assertThat(listed.get("transfers").get(0).get("id").asText()).isEqualTo("move-1");
      assertThat(listed.get("transfers").get(0).get("status").asText()).isEqualTo("COMPLETED");
      assertThat(listed.get("transfers").get(0).get("version").asLong()).isEqualTo(4);
      assertThat(listed.get("nextCursor").isNull()).isTrue();
      assertThat(read(instance, "/api/v1/transfers?limit=1").json().get("nextCursor").asText())
          .isEqualTo("move-1");
      assertThat(read(instance, "/api/v1/transfers?cursor=move-1").json().get("transfers"))
          .isEmpty();
      assertThat(read(instance, "/api/v1/transfers?acount=acc-1").status()).isEqualTo(400);
      assertThat(read(instance, "/api/v1/transfers?cursor=bad%20id").status()).isEqualTo(400);
      assertThat(read(instance, "/api/v1/transfers?account=bad%20id").status()).isEqualTo(400);
    }
    for (ProjectionService instance : List.of(a, b)) { // the transfers' totals, every partition
      JsonNode byStatus = read(instance, "/api/v1/totals/transfers/byStatus").json();
      assertThat(byStatus.get("groups").toString())
          .isEqualTo("{\"COMPLETED\":{\"count\":1,\"sums\":{}}}");
      JsonNode moved = read(instance, "/api/v1/totals/transfers/moved").json().get("groups");
      assertThat(moved.get("EUR").get("count").asLong()).isEqualTo(1);
      assertThat(new BigDecimal(moved.get("EUR").get("sums").get("amount").asText()))
          .isEqualByComparingTo("1.50");
      assertThat(read(instance, "/api/v1/totals/transfers/nothing").status()).isEqualTo(404);
    }
    Instant requestedAt =
        Instant.parse(read(a, "/api/v1/transfers/move-1").json().get("requestedAt").asText());
    for (ProjectionService instance : List.of(a, b)) { // the transfers' view keeps its history
      String asOf = "/api/v1/transfers/move-1?asOf=";
      assertThat(read(instance, asOf + requestedAt.minusMillis(1)).status()).isEqualTo(404);
      Http.Response first = read(instance, asOf + requestedAt);
      assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
      assertThat(first.header("ETag"))
          .isEqualTo("\"" + first.json().get("version").asLong() + "\"");
      assertThat(first.json().get("version").asLong()).isLessThan(4);
      Http.Response now = read(instance, asOf + Instant.now().plusSeconds(1));
      assertThat(now.json().get("status").asText()).isEqualTo("COMPLETED");
      assertThat(now.json().get("version").asLong()).isEqualTo(4);
      assertThat(read(instance, asOf + "2000-01-01T00:00:00Z").status()).isEqualTo(410);
      assertThat(read(instance, asOf + requestedAt + "&minVersion=1").status()).isEqualTo(400);
    }
    for (ProjectionService instance : List.of(a, b)) { // the transfer after each version
      JsonNode history = read(instance, "/api/v1/transfers/move-1/history").json();
      assertThat(history.get("versions").findValuesAsText("status"))
          .containsExactly("REQUESTED", "DEBITING", "CREDITING", "COMPLETED");
      assertThat(history.get("versions").findValuesAsText("event")) // what took it each step
          .containsExactly(
              "TransferRequested", "CreditAccountVerified", "TransferDebited", "TransferCompleted");
      assertThat(history.get("versions").findValuesAsText("version"))
          .containsExactly("1", "2", "3", "4");
      assertThat(Instant.parse(history.get("versions").get(0).get("at").asText()))
          .isBetween(requestedAt.minusMillis(1), requestedAt); // the record's time, in ms
      assertThat(history.get("nextCursor").isNull()).isTrue();
      JsonNode page = read(instance, "/api/v1/transfers/move-1/history?from=2&limit=2").json();
      assertThat(page.get("versions").findValuesAsText("version")).containsExactly("2", "3");
      assertThat(page.get("nextCursor").asText()).isEqualTo("4");
      assertThat(read(instance, "/api/v1/transfers/no-such-transfer/history").status())
          .isEqualTo(404);
      assertThat(read(instance, "/api/v1/transfers/move-1/history?limit=0").status())
          .isEqualTo(400);
    }
    for (ProjectionService instance : List.of(a, b)) { // the transfer's stream of events
      Http.Response stream = read(instance, "/api/v1/streams/transfers/move-1/events");
      assertThat(stream.status()).as(stream.raw().body()).isEqualTo(200);
      assertThat(stream.header("ETag")).isEqualTo("\"4\"");
      JsonNode events = stream.json().get("events");
      assertThat(events.findValuesAsText("type"))
          .containsExactly(
              "TransferRequested", "CreditAccountVerified", "TransferDebited", "TransferCompleted");
      assertThat(events.findValuesAsText("version")).containsExactly("1", "2", "3", "4");
      assertThat(events.get(0).get("data").get("amount").asText()).isEqualTo("1.50");
      assertThat(events.get(0).get("data").get("from").asText()).isEqualTo("acc-1");
      assertThat(Instant.parse(events.get(0).get("occurredAt").asText())).isEqualTo(requestedAt);
      JsonNode page =
          read(instance, "/api/v1/streams/transfers/move-1/events?from=3&limit=1").json();
      assertThat(page.get("events").findValuesAsText("version")).containsExactly("3");
      assertThat(page.get("nextCursor").asText()).isEqualTo("4");
      assertThat(read(instance, "/api/v1/streams/transfers/no-such-transfer/events").status())
          .isEqualTo(404);
    }
    int tails = EventAccessIT.gauge(b, "streamfold_subscription_tails");
    try (SseClient subscribed = // a plug-in's events, subscribed to by name
        EventAccessIT.subscribe(b, "?collection=transfers&from=start", null)) {
      List<JsonNode> events = EventAccessIT.read(subscribed, 4);
      assertThat(EventAccessIT.gauge(b, "streamfold_subscription_tails"))
          .as("a live tail of their own, shared once they have caught up")
          .isEqualTo(tails + 1);
      assertThat(events.stream().map(e -> e.get("type").asText()).toList())
          .containsExactly(
              "TransferRequested", "CreditAccountVerified", "TransferDebited", "TransferCompleted");
      assertThat(events.get(0).get("collection").asText()).isEqualTo("transfers");
      assertThat(events.get(0).get("aggregateId").asText()).isEqualTo("move-1");
      assertThat(events.get(0).get("data").get("amount").asText()).isEqualTo("1.50");
    }
    try (SseClient filtered = // the plug-in names its types: a filter on them
        EventAccessIT.subscribe(
            b,
            "?collection=transfers&types=TransferRequested,TransferCompleted&from=start",
            null)) {
      assertThat(EventAccessIT.read(filtered, 2).stream().map(e -> e.get("type").asText()).toList())
          .containsExactly("TransferRequested", "TransferCompleted");
      assertThat(EventAccessIT.gauge(b, "streamfold_subscription_tails"))
          .as("the same collections: the same tail")
          .isEqualTo(tails + 1);
    }
    Http.Response unknownType =
        read(
            b,
            "/api/v1/events?collection=transfers&types=TransferRequested,MoneyDeposited",
            "Accept",
            "text/event-stream");
    assertThat(unknownType.status()).isEqualTo(400);
    assertThat(unknownType.json().get("type").asText()).endsWith("unknown-event-type");
    assertThat(unknownType.json().get("detail").asText()).contains("TransferDebited");
    Http.Response notByDefault = // the default stays the accounts': their types only
        read(a, "/api/v1/events?types=TransferRequested", "Accept", "text/event-stream");
    assertThat(notByDefault.status()).isEqualTo(400);
    assertThat(notByDefault.json().get("type").asText()).endsWith("unknown-event-type");
    versions.put("acc-1", 3L);
    versions.put("acc-2", 3L);
    balances.put("acc-1", balances.get("acc-1").subtract(new BigDecimal("1.50")));
    balances.put("acc-2", balances.get("acc-2").add(new BigDecimal("1.50")));
    JsonNode credit = ledgerLine(a, b, "acc-2", 3);
    JsonNode debit = ledgerLine(b, a, "acc-1", 3);
    assertThat(debit.get("type").asText()).isEqualTo("WITHDRAWAL");
    assertThat(debit.get("transferId").asText()).isEqualTo("move-1");
    assertThat(debit.get("counterparty").asText()).isEqualTo("acc-2");
    assertThat(credit.get("type").asText()).isEqualTo("DEPOSIT");
    assertThat(credit.get("counterparty").asText()).isEqualTo("acc-1");
  }

  /**
   * The transaction that made {@code version} of an account, read from {@code first} once {@code
   * second} has it too (the history is read where the account lives: one of them forwards).
   */
  private static JsonNode ledgerLine(
      ProjectionService first, ProjectionService second, String id, long version) {
    String path = "/api/v1/accounts/" + id + "/history?from=" + version + "&limit=1";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(second, path).json().get("versions").size() == 1);
    JsonNode line = read(first, path).json().get("versions").get(0);
    assertThat(line.get("version").asLong()).isEqualTo(version);
    return line.get("transaction");
  }

  @Test
  @Order(5)
  void shouldServeTheLedgerTheOwnersAccountsAndTheMoneyPerCurrency() {
    Http.Response page = read(b, "/api/v1/accounts/acc-5/history?limit=2");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().get("versions")).hasSize(2);
    JsonNode second = page.json().get("versions").get(1);
    assertThat(second.get("transaction").get("type").asText()).isEqualTo("DEPOSIT");
    assertThat(second.get("transaction").get("balanceAfter").asText())
        .isEqualTo(balances.get("acc-5").subtract(new BigDecimal("51.00")).toPlainString());
    assertThat(second.get("balance").asText())
        .as("the account as it was right after the version")
        .isEqualTo(second.get("transaction").get("balanceAfter").asText());
    assertThat(second.get("accountId").asText()).isEqualTo("acc-5");
    Http.Response rest =
        read(b, "/api/v1/accounts/acc-5/history?from=" + page.json().get("nextCursor").asText());
    assertThat(rest.json().get("versions"))
        .extracting(t -> t.get("version").asLong())
        .containsExactly(3L, 4L);
    assertThat(page.json().get("versions").get(0).get("transaction").get("type").asText())
        .isEqualTo("OPENED");

    await() // the owner index is one hop behind the views
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(a, "/api/v1/accounts?ownerId=ada").json().get("accounts").size() == 6);
    JsonNode adas = read(b, "/api/v1/accounts?ownerId=ada").json();
    assertThat(adas.get("ownerId").asText()).isEqualTo("ada");
    assertThat(adas.get("accounts"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("acc-0", "acc-2", "acc-4", "acc-6", "acc-8", "acc-10");
    JsonNode firstPage = read(b, "/api/v1/accounts?ownerId=ada&limit=4").json();
    JsonNode secondPage =
        read(
                a,
                "/api/v1/accounts?ownerId=ada&limit=4&cursor="
                    + firstPage.get("nextCursor").asText())
            .json();
    assertThat(firstPage.get("accounts"))
        .extracting(JsonNode::asText)
        .containsExactly("acc-0", "acc-10", "acc-2", "acc-4");
    assertThat(secondPage.get("accounts"))
        .extracting(JsonNode::asText)
        .containsExactly("acc-6", "acc-8");
    assertThat(secondPage.get("nextCursor").isNull()).isTrue();

    // the totals are folded with the views, so they agree as soon as the views do
    BigDecimal eur =
        balances.entrySet().stream()
            .filter(e -> Integer.parseInt(e.getKey().substring(4)) % 3 != 0)
            .map(Map.Entry::getValue)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    JsonNode groups = read(b, TOTALS).json().get("groups");
    long usd = java.util.stream.IntStream.range(0, ACCOUNTS).filter(i -> i % 3 == 0).count();
    assertThat(groups.get("EUR").get("count").asLong()).isEqualTo(ACCOUNTS - usd);
    assertThat(groups.get("USD").get("sums").get("open").asLong()).isEqualTo(usd);
    assertThat(groups.get("USD").get("sums").get("closed").asLong()).isZero();
    assertThat(new BigDecimal(groups.get("EUR").get("sums").get("balance").asText()))
        .isEqualByComparingTo(eur);
  }

  @Test
  @Order(6)
  void shouldNeverAnswerPartialTotalsOrListsWhileAnInstanceJoinsAndLeaves() {
    String stats = read(a, TOTALS).raw().body();
    String list = read(a, "/api/v1/accounts?limit=1000").raw().body();
    Map<Integer, Integer> statuses = new HashMap<>();
    try (ProjectionService c = ProjectionInstances.start(projectionEnv)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int agreeing = 0;
      while (agreeing < 3 && System.nanoTime() < deadline) {
        agreeing = 0;
        for (ProjectionService instance : List.of(a, b, c)) {
          if (answersWhole(instance, stats, list, statuses)) {
            agreeing++;
          }
        }
      }
      assertThat(agreeing).as("all three answer in full once the rebalance is over").isEqualTo(3);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    boolean whole = false;
    while (!whole && System.nanoTime() < deadline) { // and again as it leaves
      whole = answersWhole(a, stats, list, statuses) & answersWhole(b, stats, list, statuses);
    }
    assertThat(whole).isTrue();
    System.out.printf("Lists and totals while an instance joined and left: %s%n", statuses);
    assertThat(statuses.keySet())
        .as("whole answers or 503 while partitions move, never a partial 200: %s", statuses)
        .isSubsetOf(200, 503);
  }

  /** Whether the instance answered the whole totals and list; any 200 must be whole. */
  private static boolean answersWhole(
      ProjectionService instance, String stats, String list, Map<Integer, Integer> statuses) {
    Http.Response gotStats = read(instance, TOTALS);
    Http.Response gotList = read(instance, "/api/v1/accounts?limit=1000");
    statuses.merge(gotStats.status(), 1, Integer::sum);
    statuses.merge(gotList.status(), 1, Integer::sum);
    if (gotStats.status() == 200) {
      assertThat(gotStats.raw().body()).isEqualTo(stats);
    }
    if (gotList.status() == 200) {
      assertThat(gotList.raw().body()).isEqualTo(list);
    }
    return gotStats.status() == 200 && gotList.status() == 200;
  }

  @Test
  @Order(6)
  void shouldRebuildUnderANewApplicationIdIntoEqualStores() {
    Map<String, String> rebuildEnv = new HashMap<>(env);
    rebuildEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections-v2");
    // the rebuild profile: starts behind by more than this, so with two stream threads, and goes
    // back to one once caught up
    rebuildEnv.put("CATCH_UP_LAG", "1");
    rebuildEnv.put("CATCH_UP_STREAM_THREADS", "2");
    try (ProjectionService rebuilt = ProjectionInstances.start(rebuildEnv)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  rebuilt.isReady()
                      && read(rebuilt, "/api/v1/status").json().get("lag").get("total").asLong()
                          == 0
                      && read(rebuilt, "/api/v1/status")
                          .json()
                          .path("catchUp")
                          .path("caughtUpAt")
                          .isTextual());
      assertThat(read(rebuilt, "/api/v1/status").json().get("streamThreads").asInt()).isEqualTo(1);
      JsonNode catchUp = read(rebuilt, "/api/v1/status").json().get("catchUp");
      assertThat(catchUp.get("streamThreads").asInt()).isEqualTo(2);
      assertThat(catchUp.get("behindAtStart").asLong()).isGreaterThanOrEqualTo(2L * ACCOUNTS);
      assertThat(catchUp.get("caughtUpAt").isTextual()).isTrue();
      // the live instances did not start behind: their usual thread, no catch-up
      assertThat(read(a, "/api/v1/status").json().has("catchUp")).isFalse();
      assertThat(read(a, "/api/v1/status").json().get("streamThreads").asInt()).isEqualTo(1);

      assertThat(everything(rebuilt)).isEqualTo(everything(a));
      Map<String, String> live =
          Digests.of(List.of(ProjectionInstances.url(a), ProjectionInstances.url(b)));
      Map<String, String> fresh = Digests.of(List.of(ProjectionInstances.url(rebuilt)));
      assertThat(fresh).as("digests per store partition").hasSize(54).isEqualTo(live);
    }
  }

  @Test
  @Order(6)
  void shouldAnswerFromAStandbyCopyWhenTheClientAllowsStaleness() {
    for (String id : versions.keySet()) {
      ProjectionService other = notOwner(id);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Http.Response stale =
                    read(other, "/api/v1/accounts/" + id, "X-Streamfold-Allow-Stale", "true");
                assertThat(stale.status()).as(stale.raw().body()).isEqualTo(200);
                assertThat(stale.header("X-Streamfold-Served-By"))
                    .as("answered from its own standby copy, not forwarded")
                    .endsWith(":" + other.port());
                assertThat(Long.parseLong(stale.header("X-Streamfold-Staleness")))
                    .isBetween(0L, 10_000L);
                assertThat(new BigDecimal(stale.json().get("balance").asText()))
                    .isEqualByComparingTo(balances.get(id));
              });
      Http.Response fresh = read(other, "/api/v1/accounts/" + id);
      assertThat(fresh.header("X-Streamfold-Served-By")).doesNotEndWith(":" + other.port());
      assertThat(fresh.header("X-Streamfold-Staleness")).isNull();
    }
    String transfer = "/api/v1/transfers/move-1"; // a plugged-in view reads the same way
    ProjectionService other =
        read(a, transfer).header("X-Streamfold-Served-By").endsWith(":" + a.port()) ? b : a;
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Http.Response stale = read(other, transfer, "X-Streamfold-Allow-Stale", "true");
              assertThat(stale.status()).as(stale.raw().body()).isEqualTo(200);
              assertThat(stale.header("X-Streamfold-Served-By")).endsWith(":" + other.port());
              assertThat(Long.parseLong(stale.header("X-Streamfold-Staleness")))
                  .isBetween(0L, 10_000L);
              assertThat(stale.json().get("status").asText()).isEqualTo("COMPLETED");
            });
    for (Http.Response fresh : // without the header, or a minVersion read: never stale
        List.of(
            read(other, transfer),
            read(other, transfer + "?minVersion=4", "X-Streamfold-Allow-Stale", "true"))) {
      assertThat(fresh.status()).isEqualTo(200);
      assertThat(fresh.header("X-Streamfold-Served-By")).doesNotEndWith(":" + other.port());
      assertThat(fresh.header("X-Streamfold-Staleness")).isNull();
    }
  }

  @Test
  @Order(6)
  void shouldAnswer400ForAQueryThatCannotBeForwarded() throws Exception {
    String id = versions.keySet().iterator().next();
    ProjectionService other = notOwner(id);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", other.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/accounts/"
                      + id
                      + "?note=a|b HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400").contains("invalid-uri");
    }
  }

  /** The instance that does not own {@code id}'s partition. */
  private static ProjectionService notOwner(String id) {
    String servedBy = read(a, "/api/v1/accounts/" + id).header("X-Streamfold-Served-By");
    return servedBy.endsWith(":" + a.port()) ? b : a;
  }

  @Test
  @Order(7)
  void shouldKeepAnsweringWhenAnInstanceStops() {
    b.close();
    Map<Integer, Integer> statuses = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              boolean allGood = true;
              for (String id : versions.keySet()) {
                Http.Response response = read(a, "/api/v1/accounts/" + id);
                statuses.merge(response.status(), 1, Integer::sum);
                if (response.status() == 200) {
                  assertThat(new BigDecimal(response.json().get("balance").asText()))
                      .isEqualByComparingTo(balances.get(id));
                } else {
                  allGood = false;
                }
              }
              return allGood;
            });
    assertThat(statuses.keySet())
        .as("only 200, or 503 during the transition: %s", statuses)
        .isSubsetOf(200, 503);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> read(a, "/api/v1/accounts?limit=100").status() == 200);
    assertThat(read(a, "/api/v1/accounts?limit=100").json().get("accounts")).hasSize(ACCOUNTS);
  }

  /** Every account, its total and every version of every account an instance serves, as JSON. */
  private static Map<String, String> everything(ProjectionService instance) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("list", read(instance, "/api/v1/accounts?limit=1000").raw().body());
    all.put("totals", read(instance, TOTALS).raw().body());
    for (String id : versions.keySet()) {
      all.put(id, read(instance, "/api/v1/accounts/" + id + "/history?limit=500").raw().body());
    }
    return all;
  }
}
