package io.streamfold.projection.it;

import static io.streamfold.projection.it.MajorOneEvents.V1;
import static io.streamfold.projection.it.MajorOneEvents.event;
import static io.streamfold.projection.it.MajorOneEvents.payload;
import static io.streamfold.projection.it.MajorOneEvents.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.CommandService;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.projection.ProjectionService;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A log the previous release wrote (events of {@code AccountEvent} major 1, amounts as
 * decimal(18,2), registered under the major-1 subject of the real registry, on the real broker),
 * then the current release started on it: the command writer's restore folds the old events into
 * its state through the upcaster, new commands append major-2 events after them (in a currency with
 * three minor units too, which major 1 could not hold), and the projections and the stream reads
 * show every event as the current contract describes it.
 */
class UpcastingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  static Map<String, String> env;
  static CommandService commands;
  static ProjectionService projections;
  static String events;

  @BeforeAll
  static void writeTheOldLogThenStartTheNewRelease() throws Exception {
    env = Instances.environment("upcasting");
    env.put("TOPIC_PARTITIONS", "2");
    // the topics as the previous release created them; nothing written yet
    CommandService first = Instances.start(env);
    await().atMost(WAIT).until(first::isReady);
    first.close();
    events = env.get("TOPIC_PREFIX") + "accounts.events";

    int id =
        new HttpSchemaRegistry(
                env.get("SCHEMA_REGISTRY_URL"), 3, Duration.ofMillis(200), Duration.ofSeconds(10))
            .register(events + "-value", V1);
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"));
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      List<GenericRecord> log = new ArrayList<>();
      log.add(event("old-1", 1, payload("AccountOpened", "Ada", "EUR", "10.00")));
      log.add(event("old-1", 2, payload("MoneyDeposited", "2.50")));
      log.add(event("old-1", 3, payload("MoneyWithdrawn", "1.25")));
      log.add(event("old-2", 1, payload("AccountOpened", "Grace", "JPY", "1000.00")));
      for (GenericRecord event : log) {
        producer
            .send(
                new ProducerRecord<>(
                    events,
                    null,
                    ((Instant) event.get("occurredAt")).toEpochMilli(),
                    event.get("aggregateId").toString(),
                    wire(id, event)))
            .get();
      }
    }

    commands = Instances.start(env);
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    projections = ProjectionInstances.start(projectionEnv);
    await().atMost(WAIT).until(() -> commands.isReady() && projections.isReady());
  }

  @AfterAll
  static void stop() {
    ProjectionInstances.stopAll(projections, commands);
  }

  @Test
  void theWriterFoldsTheOldEventsAndAppendsNewOnesAfterThem() {
    String accounts = Instances.url(commands) + "/api/v1/accounts/";
    Http.Response restored = Http.get(accounts + "old-1");
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.json().get("version").asLong()).isEqualTo(3);
    assertThat(restored.json().get("state").get("balance").asText()).isEqualTo("11.25");
    assertThat(restored.json().get("state").get("owner").asText()).isEqualTo("Ada");

    Http.Response deposit =
        Http.post(accounts + "old-1/deposit", "{\"amount\":\"1.00\"}", "If-Match", "\"3\"");
    assertThat(deposit.status()).isEqualTo(200);
    assertThat(deposit.json().get("version").asLong()).isEqualTo(4);

    assertThat(
            Http.post(
                    accounts + "new-bhd/open",
                    "{\"owner\":\"Ibn\",\"currency\":\"BHD\",\"initialDeposit\":\"1.005\"}")
                .status())
        .isEqualTo(201);
    Http.Response withdrawn =
        Http.post(accounts + "new-bhd/withdraw", "{\"amount\":\"0.002\"}", "If-Match", "\"1\"");
    assertThat(withdrawn.status()).isEqualTo(200);
    assertThat(withdrawn.json().get("events").get(0).get("data").get("amount").asText())
        .isEqualTo("0.002");
    assertThat(Http.get(accounts + "new-bhd").json().get("state").get("balance").asText())
        .isEqualTo("1.003");

    // the projections fold the old and the new events alike
    JsonNode old = read("/api/v1/accounts/old-1?minVersion=4");
    assertThat(old.get("balance").asText()).isEqualTo("12.25");
    JsonNode ledger = read("/api/v1/accounts/old-1/history").get("versions");
    List<String> amounts = new ArrayList<>();
    ledger.forEach(
        v ->
            amounts.add(
                new BigDecimal(v.get("transaction").get("amount").asText()).toPlainString()));
    assertThat(amounts).containsExactly("10.00", "2.50", "1.25", "1.00");
    assertThat(read("/api/v1/accounts/new-bhd?minVersion=2").get("balance").asText())
        .isEqualTo("1.003");
    assertThat(read("/api/v1/accounts/old-2?minVersion=1").get("balance").asText())
        .isEqualTo("1000.00");
    JsonNode totals = read("/api/v1/totals/accounts/byCurrency").get("groups");
    assertThat(totals.get("BHD").get("sums").get("balance").asText()).isEqualTo("1.003");
    assertThat(totals.get("JPY").get("sums").get("balance").asText()).isEqualTo("1000.00");

    // a stream read shows every event in the current contract, whichever major wrote it
    JsonNode stream = read("/api/v1/streams/accounts/old-1/events").get("events");
    assertThat(stream).hasSize(4);
    assertThat(stream.get(0).get("type").asText()).isEqualTo("AccountOpened");
    assertThat(stream.get(0).get("data").get("initialDeposit").asText()).isEqualTo("10.00");
    assertThat(stream.get(1).get("data").get("amount").asText()).isEqualTo("2.50");
    assertThat(stream.get(2).get("data").get("amount").asText()).isEqualTo("1.25");
    assertThat(stream.get(3).get("data").get("amount").asText()).isEqualTo("1.00");
  }

  private static JsonNode read(String path) {
    return ProjectionInstances.readWhenOk("http://127.0.0.1:" + projections.port() + path, WAIT);
  }
}
