package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every status of the command API's contract, over real HTTP against a broker-backed instance. */
class CommandHttpIT {
  static CommandService service;
  static String api;

  @BeforeAll
  static void start() {
    service = Instances.start(Instances.environment("http-it"));
    await().atMost(Duration.ofSeconds(60)).until(service::isReady);
    api = Instances.url(service) + "/api/v1/accounts/";
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static String newId() {
    return "acc-" + UUID.randomUUID();
  }

  static Http.Response open(String id) {
    return Http.post(
        api + id + "/open",
        "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\"10.00\"}");
  }

  static void assertProblem(Http.Response response, int status, String code) {
    assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("status").asInt()).isEqualTo(status);
    assertThat(response.json().get("type").asText())
        .isEqualTo("https://streamfold.io/problems/" + code);
  }

  @Test
  void shouldAnswer201WithEventsAndETagOnOpen() {
    String id = newId();
    Http.Response response = open(id);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("ETag")).isEqualTo("\"1\"");
    assertThat(response.header("Location")).isEqualTo("/api/v1/accounts/" + id);
    assertThat(response.json().get("version").asLong()).isEqualTo(1);
    assertThat(response.json().get("events").get(0).get("type").asText())
        .isEqualTo("AccountOpened");
    assertThat(response.json().get("events").get(0).get("data").get("initialDeposit").asText())
        .isEqualTo("10.00");
  }

  @Test
  void shouldAnswer200OnDepositWithIfMatchAndReadTheWriteModel() {
    String id = newId();
    open(id);

    Http.Response deposit =
        Http.post(api + id + "/deposit", "{\"amount\":\"2.5\"}", "If-Match", "\"1\"");

    assertThat(deposit.status()).isEqualTo(200);
    assertThat(deposit.header("ETag")).isEqualTo("\"2\"");
    assertThat(deposit.json().get("events").get(0).get("data").get("amount").asText())
        .isEqualTo("2.50");
    Http.Response read = Http.get(api + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("ETag")).isEqualTo("\"2\"");
    assertThat(read.json().get("state").get("balance").asText()).isEqualTo("12.50");
  }

  @Test
  void shouldAnswer409WhenOpeningTwice() {
    String id = newId();
    open(id);

    assertProblem(open(id), 409, "already-exists");
  }

  @Test
  void shouldAnswer412WithTheCurrentVersionOnAStaleIfMatch() {
    String id = newId();
    open(id);
    Http.post(api + id + "/deposit", "{\"amount\":\"1\"}");

    Http.Response stale =
        Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "If-Match", "\"1\"");

    assertProblem(stale, 412, "version-mismatch");
    assertThat(stale.json().get("currentVersion").asLong()).isEqualTo(2);
    assertProblem(
        Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "If-None-Match", "*"),
        412,
        "version-mismatch");
  }

  @Test
  void shouldAnswer404ForAMissingAccountAndAnUnknownCommand() {
    assertProblem(Http.post(api + newId() + "/deposit", "{\"amount\":\"1\"}"), 404, "not-found");
    assertProblem(Http.get(api + newId()), 404, "not-found");
    assertProblem(Http.post(api + newId() + "/transfer", "{}"), 404, "unknown-command");
  }

  @Test
  void shouldAnswer422OnBusinessRules() {
    String id = newId();
    open(id);

    assertProblem(
        Http.post(api + id + "/withdraw", "{\"amount\":\"10.01\"}"), 422, "insufficient-funds");
    assertProblem(Http.post(api + id + "/close", ""), 422, "non-zero-balance");
  }

  @Test
  void shouldAnswer400OnMalformedRequests() {
    String id = newId();
    open(id);
    List<Http.Response> bad = new ArrayList<>();
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":"));
    bad.add(Http.post(api + id + "/deposit", "[1]"));
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":12.5}"));
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":\"1.23456\"}")); // beyond any currency
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":\"-1\"}"));
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":\"0\"}"));
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":\"1\",\"extra\":true}"));
    bad.add(Http.post(api + id + "/deposit", "{}"));
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "If-Match", "W/\"1\""));
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "If-Match", "1"));
    bad.add(Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "If-None-Match", "\"1\""));
    bad.add(
        Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "Idempotency-Key", "x".repeat(129)));
    bad.add(Http.post(api + "bad%20id/deposit", "{\"amount\":\"1\"}"));
    bad.add(Http.post(api + newId() + "/open", "{\"owner\":\"Ada\",\"currency\":\"XXY\"}"));

    assertThat(bad)
        .allSatisfy(
            response -> assertThat(response.status()).as(response.raw().body()).isEqualTo(400));
    assertThat(bad)
        .allSatisfy(
            response -> assertThat(response.contentType()).startsWith("application/problem+json"));
    assertThat(Http.get(api + id).header("ETag")).isEqualTo("\"1\"");
    // well formed, but more decimals than EUR has: the decider refuses it, same status
    assertProblem(
        Http.post(api + id + "/deposit", "{\"amount\":\"1.234\"}"), 400, "invalid-amount");
  }

  @Test
  void shouldAnswer413ForABodyOverTheLimit() {
    String huge = "{\"amount\":\"1\",\"padding\":\"" + "x".repeat(70 * 1024) + "\"}";

    assertProblem(Http.post(api + newId() + "/deposit", huge), 413, "payload-too-large");
  }

  @Test
  void shouldAnswer415ForANonJsonBody() {
    assertProblem(
        Http.post(
            api + newId() + "/deposit",
            "amount=1",
            "Content-Type",
            "application/x-www-form-urlencoded"),
        415,
        "unsupported-media-type");
  }

  @Test
  void shouldReturnTheFirstOutcomeForARepeatedIdempotencyKey() {
    String id = newId();
    open(id);
    String key = UUID.randomUUID().toString();

    Http.Response first =
        Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "Idempotency-Key", key);
    Http.Response again =
        Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "Idempotency-Key", key);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(Http.get(api + id).header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void shouldRefuseAReusedIdempotencyKeyWithADifferentRequest() {
    String id = newId();
    open(id);
    String key = UUID.randomUUID().toString();
    Http.post(api + id + "/deposit", "{\"amount\":\"1\"}", "Idempotency-Key", key);

    Http.Response otherAmount =
        Http.post(api + id + "/deposit", "{\"amount\":\"2\"}", "Idempotency-Key", key);
    Http.Response otherAction =
        Http.post(api + id + "/withdraw", "{\"amount\":\"1\"}", "Idempotency-Key", key);
    Http.Response otherPrecondition =
        Http.post(
            api + id + "/deposit",
            "{\"amount\":\"1\"}",
            "Idempotency-Key",
            key,
            "If-Match",
            "\"2\"");
    Http.Response sameRespaced =
        Http.post(api + id + "/deposit", "{ \"amount\" : \"1\" }", "Idempotency-Key", key);

    assertProblem(otherAmount, 422, "idempotency-key-reused");
    assertProblem(otherAction, 422, "idempotency-key-reused");
    assertProblem(otherPrecondition, 422, "idempotency-key-reused");
    assertThat(sameRespaced.status()).isEqualTo(200);
    assertThat(sameRespaced.json().get("version").asLong()).isEqualTo(2);
    assertThat(Http.get(api + id).header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void shouldKeepOneIdempotencyKeyOnTwoAggregatesApart() {
    String first = newId();
    String second = newId();
    open(first);
    open(second);
    String key = "shared-" + UUID.randomUUID();

    Http.Response one =
        Http.post(api + first + "/deposit", "{\"amount\":\"1\"}", "Idempotency-Key", key);
    Http.Response two =
        Http.post(api + second + "/deposit", "{\"amount\":\"1\"}", "Idempotency-Key", key);

    assertThat(one.status()).isEqualTo(200);
    assertThat(two.status()).isEqualTo(200);
    assertThat(one.json().get("aggregateId").asText()).isEqualTo(first);
    assertThat(two.json().get("aggregateId").asText()).isEqualTo(second);
    assertThat(two.json().get("events").get(0).get("eventId"))
        .isNotEqualTo(one.json().get("events").get(0).get("eventId"));
    assertThat(Http.get(api + first).header("ETag")).isEqualTo("\"2\"");
    assertThat(Http.get(api + second).header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void shouldLetAVersionMismatchBeRetriedWithTheSameKeyAfterAReload() {
    String id = newId();
    open(id);
    Http.post(api + id + "/deposit", "{\"amount\":\"1\"}");
    String key = UUID.randomUUID().toString();

    Http.Response stale =
        Http.post(
            api + id + "/withdraw",
            "{\"amount\":\"1\"}",
            "Idempotency-Key",
            key,
            "If-Match",
            "\"1\"");
    String current = Http.get(api + id).header("ETag");
    Http.Response retried =
        Http.post(
            api + id + "/withdraw",
            "{\"amount\":\"1\"}",
            "Idempotency-Key",
            key,
            "If-Match",
            current);

    assertProblem(stale, 412, "version-mismatch");
    assertThat(current).isEqualTo("\"2\"");
    assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
    assertThat(retried.header("ETag")).isEqualTo("\"3\"");
  }

  @Test
  void shouldRememberARefusalUnderItsKey() {
    String id = newId();
    open(id);
    String key = UUID.randomUUID().toString();

    Http.Response refused =
        Http.post(api + id + "/withdraw", "{\"amount\":\"50\"}", "Idempotency-Key", key);
    Http.post(api + id + "/deposit", "{\"amount\":\"100\"}");
    Http.Response again =
        Http.post(api + id + "/withdraw", "{\"amount\":\"50\"}", "Idempotency-Key", key);

    assertProblem(refused, 422, "insufficient-funds");
    assertProblem(again, 422, "insufficient-funds");
    assertThat(Http.get(api + id).header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void shouldServeAnOpenApiDocumentThatMatchesTheRoutes() throws Exception {
    Http.Response document = Http.get(Instances.url(service) + "/openapi.json");

    assertThat(document.status()).isEqualTo(200);
    assertThat(OpenApi.operations(document.raw().body()))
        .isEqualTo(OpenApi.routes(service.routes()));
    assertThat(OpenApi.problems(document.raw().body())).isEmpty();
  }

  @Test
  void shouldExposeCommandLatencyOutcomesAndWriterMetrics() {
    open(newId());
    assertProblem(open("x".repeat(65)), 400, "invalid-id");

    String metrics = Http.get(Instances.url(service) + "/metrics").raw().body();

    assertThat(metrics)
        .contains("streamfold_command_latency_seconds_bucket{command=\"open\",outcome=\"accepted\"")
        .contains("streamfold_command_outcomes_total{kind=\"accepted\"}")
        .contains("streamfold_writer_commit_seconds")
        .contains("jvm_memory_used_bytes");
    assertThat(Http.get(Instances.url(service) + "/health/ready").status()).isEqualTo(200);
    assertThat(Http.get(Instances.url(service) + "/health/live").status()).isEqualTo(200);
  }

  @Test
  void shouldAnswer504WithTheCommandIdWhenTheOutcomeIsLate() {
    Map<String, String> env = Instances.environment("timeout-it");
    env.put("COMMAND_TIMEOUT", "1"); // 1 ms: no outcome can come back in time
    try (CommandService impatient = Instances.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(impatient::isReady);
      String id = newId();

      Http.Response response =
          Http.post(
              Instances.url(impatient) + "/api/v1/accounts/" + id + "/open",
              "{\"owner\":\"Ada\",\"currency\":\"EUR\"}",
              "Idempotency-Key",
              "late-1");

      assertProblem(response, 504, "outcome-unknown");
      assertThat(response.json().get("commandId").asText()).isEqualTo("late-1");
      // the command was still applied, once: the write model shows it
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          Http.get(Instances.url(impatient) + "/api/v1/accounts/" + id)
                              .header("ETag"))
                      .isEqualTo("\"1\""));
    }
  }

  /**
   * A member that owns the only partition but cannot be reached (its advertised address has no
   * listener) holds the partition: commands get 503 with Retry-After, nothing is written; once it
   * leaves the group, this instance takes the partition over and the same key is accepted once.
   */
  @Test
  void shouldAnswer503WithRetryAfterUntilAnOwnerServesThePartition() throws Exception {
    Map<String, String> env = Instances.environment("handover-it");
    env.put("TOPIC_PARTITIONS", "1");
    String versions = env.get("TOPIC_PREFIX") + "accounts.versions";
    new io.streamfold.service.kafka.TopicProvisioner(client())
        .ensure(
            List.of(
                new io.streamfold.service.kafka.TopicSpec(
                    versions, 1, (short) 1, Map.of("cleanup.policy", "compact"))));
    try (GroupMember holder = new GroupMember(env.get("APPLICATION_ID"), versions);
        CommandService instance = Instances.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(instance::isReady);
      String id = newId();
      String url = Instances.url(instance) + "/api/v1/accounts/" + id + "/open";
      String body = "{\"owner\":\"Ada\",\"currency\":\"EUR\"}";

      Http.Response held = Http.post(url, body, "Idempotency-Key", "handover-1");

      assertProblem(held, 503, "not-ready");
      assertThat(held.header("Retry-After")).isEqualTo("1");
      holder.close();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Http.post(url, body, "Idempotency-Key", "handover-1").status() == 201);
      assertThat(Http.get(Instances.url(instance) + "/api/v1/accounts/" + id).header("ETag"))
          .isEqualTo("\"1\"");
      assertThat(
              EventLog.readRaw(
                  client().getProperty("bootstrap.servers"),
                  env.get("TOPIC_PREFIX") + "accounts.events"))
          .as("the refused attempt wrote nothing, the accepted one once")
          .hasSize(1);
    }
  }

  private static java.util.Properties client() {
    java.util.Properties properties = new java.util.Properties();
    properties.put(
        "bootstrap.servers", io.streamfold.devstack.SharedStack.broker().bootstrapServers());
    return properties;
  }

  /**
   * A member of the ownership group that advertises an address nobody listens on, polled on its own
   * thread until closed (then it leaves the group).
   */
  private static final class GroupMember implements AutoCloseable {
    private final org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private volatile boolean running = true;

    GroupMember(String group, String topic) {
      java.util.Properties config = client();
      config.put("group.id", group);
      config.put(
          "client.id",
          "streamfold-owner@127.0.0.1:" + io.streamfold.devstack.Ports.freeLoopbackPort());
      config.put(
          "partition.assignment.strategy",
          org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
      consumer =
          new org.apache.kafka.clients.consumer.KafkaConsumer<>(
              config,
              new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
              new org.apache.kafka.common.serialization.ByteArrayDeserializer());
      consumer.subscribe(List.of(topic));
      java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
      poller =
          new Thread(
              () -> {
                while (running) {
                  consumer.poll(Duration.ofMillis(100));
                  if (!consumer.assignment().isEmpty()) {
                    assigned.countDown();
                  }
                }
                consumer.close();
              });
      poller.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> assigned.getCount() == 0);
    }

    @Override
    public void close() throws InterruptedException {
      if (running) {
        running = false;
        poller.join();
      }
    }
  }
}
