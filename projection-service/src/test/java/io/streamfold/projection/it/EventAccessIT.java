package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.projection.ProjectionService;
import io.streamfold.service.http.Json;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Stream reads ({@code GET /api/v1/streams/accounts/{id}/events}) and catch-up subscriptions
 * ({@code GET /api/v1/events}, Server-Sent Events) against a real broker, registry and command
 * service. A stream: its events in version order, paged, {@code minVersion}, problems.
 * Subscriptions: every committed event once, in order per aggregate; filters; live delivery; a
 * resume with {@code Last-Event-ID} on another instance after the first one is stopped, with
 * nothing lost or repeated; problems for bad requests; a subscriber that stops reading is
 * disconnected. The tests share the instances and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventAccessIT {
  static final int ACCOUNTS = 6;
  static final Duration WAIT = Duration.ofSeconds(10);

  /** Long enough for a heartbeat (a third of the 3 s write time-out) to come and go. */
  static final Duration QUIET = Duration.ofSeconds(3);

  static Map<String, String> env;
  static Map<String, String> projectionEnv;
  static CommandService commands;
  static ProjectionService a;
  static ProjectionService b;
  static String commandApi;

  @BeforeAll
  static void start() {
    env = Instances.environment("subscriptions");
    env.put("TOPIC_PARTITIONS", "3");
    env.put("MAX_SUBSCRIBERS", "3");
    env.put("SUBSCRIBER_WRITE_TIMEOUT", "PT3S");
    commands = Instances.start(env);
    projectionEnv = new java.util.HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    a = ProjectionInstances.start(projectionEnv);
    await().atMost(Duration.ofSeconds(90)).until(() -> commands.isReady() && a.isReady());
    commandApi = Instances.url(commands) + "/api/v1/accounts/";
    for (int i = 0; i < ACCOUNTS; i++) {
      String id = "sub-" + i;
      assertThat(
              Http.post(
                      commandApi + id + "/open",
                      "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\"10.00\"}")
                  .status())
          .isEqualTo(201);
      for (int d = 1; d <= 3; d++) {
        assertThat(
                Http.post(commandApi + id + "/deposit", "{\"amount\":\"" + d + ".50\"}").status())
            .isEqualTo(200);
      }
      assertThat(Http.post(commandApi + id + "/withdraw", "{\"amount\":\"1.25\"}").status())
          .isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable service : new AutoCloseable[] {a, b, commands}) {
      try {
        if (service != null) {
          service.close();
        }
      } catch (Exception e) {
        // already stopped by a test
      }
    }
  }

  static List<JsonNode> read(SseClient client, int count) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    while (events.size() < count) {
      SseClient.Event event = client.next();
      assertThat(event).as("event " + (events.size() + 1) + " of " + count).isNotNull();
      JsonNode json = Json.mapper().readTree(event.data());
      assertThat(json.get("type").asText()).isEqualTo(event.type());
      events.add(json);
    }
    return events;
  }

  static SseClient subscribe(ProjectionService instance, String query, String lastEventId)
      throws IOException {
    SseClient client = SseClient.open(instance.port(), "/api/v1/events" + query, lastEventId, WAIT);
    assertThat(client.status()).isEqualTo(200);
    assertThat(client.header("Content-Type")).startsWith("text/event-stream");
    return client;
  }

  @Test
  @Order(1)
  void shouldStreamEveryCommittedEventOnceInOrderPerAggregate() throws IOException {
    try (SseClient client = subscribe(a, "?from=start", null)) {
      List<JsonNode> events = read(client, ACCOUNTS * 5);
      Map<String, List<Long>> versions = new LinkedHashMap<>();
      Map<String, List<String>> types = new LinkedHashMap<>();
      for (JsonNode event : events) {
        String id = event.get("aggregateId").asText();
        versions.computeIfAbsent(id, k -> new ArrayList<>()).add(event.get("version").asLong());
        types.computeIfAbsent(id, k -> new ArrayList<>()).add(event.get("type").asText());
        assertThat(event.get("collection").asText()).isEqualTo("accounts");
        assertThat(event.get("eventId").asText()).isNotBlank();
        assertThat(event.get("occurredAt").asText()).endsWith("Z");
        assertThat(event.get("metadata").get("commandId").asText()).isNotBlank();
        assertThat(event.get("metadata").has("aggregateType")).isFalse();
      }
      assertThat(versions).hasSize(ACCOUNTS);
      versions.values().forEach(v -> assertThat(v).containsExactly(1L, 2L, 3L, 4L, 5L));
      types
          .values()
          .forEach(
              t ->
                  assertThat(t)
                      .containsExactly(
                          "AccountOpened",
                          "MoneyDeposited",
                          "MoneyDeposited",
                          "MoneyDeposited",
                          "MoneyWithdrawn"));
      JsonNode opened =
          events.stream()
              .filter(e -> e.get("aggregateId").asText().equals("sub-0"))
              .findFirst()
              .orElseThrow();
      assertThat(opened.get("data").get("owner").asText()).isEqualTo("Ada");
      assertThat(opened.get("data").get("initialDeposit").asText()).isEqualTo("10.00");
      assertThat(client.next(QUIET)).as("nothing more than the log holds").isNull();
    }
  }

  @Test
  @Order(2)
  void shouldFilterByTypeAndStillMoveThePositionPastWhatItSkipped() throws IOException {
    String end;
    try (SseClient tail = subscribe(a, "?from=end", null)) {
      assertThat(tail.next(QUIET)).isNull();
      end = tail.lastEventId();
    }
    assertThat(end).isNotBlank();
    try (SseClient client =
        subscribe(a, "?from=start&collection=accounts&types=MoneyWithdrawn", null)) {
      List<JsonNode> events = read(client, ACCOUNTS);
      assertThat(events).allMatch(e -> e.get("data").get("amount").asText().equals("1.25"));
      assertThat(client.next(QUIET)).isNull();
      assertThat(client.lastEventId())
          .as("an id-only message moved the position to the end of the log")
          .isEqualTo(end);
    }
  }

  @Test
  @Order(3)
  void shouldDeliverNewEventsAsTheyAreCommitted() throws IOException {
    try (SseClient client = subscribe(a, "?types=MoneyDeposited", null)) {
      assertThat(Http.post(commandApi + "sub-3/deposit", "{\"amount\":\"7.00\"}").status())
          .isEqualTo(200);
      JsonNode event = read(client, 1).get(0);
      assertThat(event.get("aggregateId").asText()).isEqualTo("sub-3");
      assertThat(event.get("version").asLong()).isEqualTo(6);
      assertThat(event.get("data").get("amount").asText()).isEqualTo("7.00");
    }
  }

  static Http.Response stream(ProjectionService instance, String pathAndQuery) {
    return Http.get(ProjectionInstances.url(instance) + "/api/v1/streams/" + pathAndQuery);
  }

  static List<Long> versions(JsonNode page) {
    List<Long> versions = new ArrayList<>();
    page.get("events").forEach(e -> versions.add(e.get("version").asLong()));
    return versions;
  }

  @Test
  @Order(31)
  void shouldReadAStreamInVersionOrderPageByPage() {
    Http.Response whole = stream(a, "accounts/sub-1/events");
    assertThat(whole.status()).as(whole.raw().body()).isEqualTo(200);
    assertThat(whole.contentType()).startsWith("application/json");
    JsonNode body = whole.json();
    assertThat(body.get("aggregateId").asText()).isEqualTo("sub-1");
    assertThat(body.get("version").asLong()).isEqualTo(5);
    assertThat(whole.header("ETag")).isEqualTo("\"5\"");
    assertThat(versions(body)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(body.get("nextCursor").isNull()).isTrue();
    JsonNode opened = body.get("events").get(0);
    assertThat(opened.get("type").asText()).isEqualTo("AccountOpened");
    assertThat(opened.get("data").get("initialDeposit").asText()).isEqualTo("10.00");
    assertThat(opened.get("metadata").get("commandId").asText()).isNotBlank();
    assertThat(opened.has("collection")).isFalse();
    assertThat(body.get("events").get(4).get("type").asText()).isEqualTo("MoneyWithdrawn");
    assertThat(body.get("events").get(4).get("data").get("amount").asText()).isEqualTo("1.25");

    JsonNode first = stream(a, "accounts/sub-1/events?limit=2").json();
    assertThat(versions(first)).containsExactly(1L, 2L);
    assertThat(first.get("nextCursor").asText()).isEqualTo("3");
    JsonNode second = stream(a, "accounts/sub-1/events?from=3&limit=2").json();
    assertThat(versions(second)).containsExactly(3L, 4L);
    JsonNode last =
        stream(a, "accounts/sub-1/events?from=" + second.get("nextCursor").asText() + "&limit=2")
            .json();
    assertThat(versions(last)).containsExactly(5L);
    assertThat(last.get("nextCursor").isNull()).isTrue();
    assertThat(versions(stream(a, "accounts/sub-1/events?from=99").json())).isEmpty();
  }

  @Test
  @Order(32)
  void shouldWaitForMinVersionAndAnswerProblems() {
    assertThat(Http.post(commandApi + "sub-2/deposit", "{\"amount\":\"3.00\"}").status())
        .isEqualTo(200);
    Http.Response readYourWrite = stream(a, "accounts/sub-2/events?from=6&minVersion=6");
    assertThat(readYourWrite.status()).isEqualTo(200);
    assertThat(versions(readYourWrite.json())).containsExactly(6L);
    Http.Response notYet = stream(a, "accounts/sub-2/events?minVersion=99&waitMs=200");
    assertThat(notYet.status()).isEqualTo(503);
    assertThat(notYet.json().get("type").asText()).endsWith("/version-not-yet-applied");
    assertThat(stream(a, "accounts/nobody/events").status()).isEqualTo(404);
    assertThat(stream(a, "transfers/sub-2/events").status()).isEqualTo(404);
    for (String bad :
        List.of(
            "accounts/sub-2/events?limit=0",
            "accounts/sub-2/events?limit=1001",
            "accounts/sub-2/events?from=-1",
            "accounts/sub-2/events?from=x",
            "accounts/sub-2/events?minVersion=0",
            "accounts/%20bad/events")) {
      Http.Response response = stream(a, bad);
      assertThat(response.status()).as(bad).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
    }
  }

  @Test
  @Order(40)
  void shouldResumeOnAnotherInstanceWithNothingLostOrRepeated() throws IOException {
    List<JsonNode> before;
    String resumeFrom;
    try (SseClient client = subscribe(a, "?from=start", null)) {
      before = read(client, 12);
      resumeFrom = client.lastEventId();
    }
    for (int i = 0; i < ACCOUNTS; i++) { // written while no one subscribes
      assertThat(Http.post(commandApi + "sub-" + i + "/deposit", "{\"amount\":\"2.00\"}").status())
          .isEqualTo(200);
    }
    a.close();
    b = ProjectionInstances.start(projectionEnv);
    await().atMost(Duration.ofSeconds(60)).until(() -> b.isReady());
    int total = ACCOUNTS * 5 + 2 + ACCOUNTS; // + the deposits of two earlier tests
    List<JsonNode> joined = new ArrayList<>(before);
    try (SseClient client = subscribe(b, "", resumeFrom)) {
      joined.addAll(read(client, total - 12));
      assertThat(client.next(QUIET)).isNull();
    }
    List<JsonNode> everything;
    try (SseClient client = subscribe(b, "?from=start", null)) {
      everything = read(client, total);
    }
    // the same events, each once, in the same order per aggregate (the interleaving of aggregates
    // on different partitions may differ from one read to the next)
    assertThat(new HashSet<>(eventIds(joined))).hasSize(total);
    assertThat(byAggregate(joined)).isEqualTo(byAggregate(everything));
  }

  static List<String> eventIds(List<JsonNode> events) {
    return events.stream().map(e -> e.get("eventId").asText()).toList();
  }

  static Map<String, List<String>> byAggregate(List<JsonNode> events) {
    Map<String, List<String>> streams = new java.util.TreeMap<>();
    for (JsonNode event : events) {
      streams
          .computeIfAbsent(event.get("aggregateId").asText(), k -> new ArrayList<>())
          .add(event.get("eventId").asText());
    }
    return streams;
  }

  @Test
  @Order(50)
  void shouldAnswerBadRequestsWithProblems() throws IOException {
    String url = ProjectionInstances.url(b) + "/api/v1/events";
    Http.Response json = Http.get(url + "?from=start", "Accept", "application/json");
    assertThat(json.status()).isEqualTo(406);
    assertThat(json.contentType()).startsWith("application/problem+json");
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("?collection=nope", "unknown-collection");
    bad.put("?types=MoneyDeposited,Nope", "unknown-event-type");
    bad.put("?types=,", "unknown-event-type"); // names no type: not a stream of nothing
    bad.put("?types=MoneyDeposited,,", "unknown-event-type");
    bad.put("?from=not-a-position", "invalid-position");
    bad.put("?from=" + token("v2;accounts=0.0.0"), "invalid-position");
    bad.put("?from=" + token("v1;accounts=0.0.0.0"), "invalid-position");
    bad.put("?from=" + token("v1;accounts=0.x.0"), "invalid-position");
    bad.put("?from=" + token("v1;accounts=-1.0.0"), "invalid-position");
    bad.put("?from=" + token("v1;accounts=999999.0.0"), "invalid-position");
    bad.put("?from=" + token("v1;transfers=0.0.0"), "invalid-position");
    bad.put("?from=" + "A".repeat(5_000), "invalid-position");
    for (Map.Entry<String, String> request : bad.entrySet()) {
      Http.Response response = Http.get(url + request.getKey(), "Accept", "text/event-stream");
      assertThat(response.status()).as(request.getKey()).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("type").asText()).endsWith("/" + request.getValue());
    }
    Http.Response lastEventId =
        Http.get(url, "Accept", "text/event-stream", "Last-Event-ID", "garbage!");
    assertThat(lastEventId.status()).isEqualTo(400);
  }

  static String token(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(60)
  void shouldRefuseSubscribersBeyondTheLimit() throws IOException {
    await().atMost(WAIT).until(() -> subscribers(b) == 0); // the earlier tests' have noticed
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(subscribe(b, "", null));
      }
      Http.Response refused =
          Http.get(ProjectionInstances.url(b) + "/api/v1/events", "Accept", "text/event-stream");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isNotNull();
      assertThat(refused.json().get("type").asText()).endsWith("/too-many-subscribers");
    } finally {
      for (SseClient client : open) {
        client.close();
      }
    }
    await().atMost(WAIT).until(() -> subscribers(b) == 0);
  }

  /**
   * A subscriber that never reads, behind far more events than the socket buffers hold: the server
   * blocks writing to it, then closes the connection after {@code SUBSCRIBER_WRITE_TIMEOUT} (3 s
   * here), so it holds no thread, consumer or buffer beyond that.
   */
  @Test
  @Order(70)
  void shouldDisconnectASubscriberThatDoesNotRead() throws Exception {
    copyAnEventManyTimes(40_000);
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4_096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", b.port()));
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/events?from=start HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
      await().atMost(WAIT).until(() -> subscribers(b) == 1);
      await() // well before Jetty's own idle time-out (30 s) would end it
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> subscribers(b) == 0);
    }
  }

  /** Appends copies of one committed event (about 300 bytes of JSON each once rendered). */
  static void copyAnEventManyTimes(int copies) {
    String topic = env.get("TOPIC_PREFIX") + "accounts.events";
    Properties consumerConfig = new Properties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"));
    byte[] value;
    byte[] key;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition first = new TopicPartition(topic, 0);
      consumer.assign(List.of(first));
      consumer.seekToBeginning(List.of(first));
      ConsumerRecord<byte[], byte[]> record = null;
      while (record == null) {
        var records = consumer.poll(Duration.ofSeconds(1));
        record = records.isEmpty() ? null : records.iterator().next();
      }
      value = record.value();
      key = record.key();
    }
    Properties producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"));
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < copies; i++) {
        producer.send(new ProducerRecord<>(topic, 0, key, value));
      }
      producer.flush();
    }
  }

  static int subscribers(ProjectionService instance) {
    return gauge(instance, "streamfold_subscribers");
  }

  /** A gauge of the instance's {@code /metrics}, without tags. */
  static int gauge(ProjectionService instance, String name) {
    String metrics = Http.get(ProjectionInstances.url(instance) + "/metrics").raw().body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }
}
