package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.SharedStack;
import io.streamfold.projection.ProjectionService;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records nobody could have written through the API, put straight onto the events topic: each lands
 * in the dead-letter topic with the error and its source recorded, and both the command path and
 * the projections keep going around them. (Commands never travel through a topic, so there is no
 * command dead-letter topic.)
 */
class PoisonRecordsIT {
  /** Wire format with an id the registry has never issued. */
  static final byte[] UNKNOWN_SCHEMA = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};

  static final byte[] GARBAGE = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldDeadLetterPoisonAndKeepProcessing() {
    Map<String, String> env = Instances.environment("poison");
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    String prefix = env.get("TOPIC_PREFIX");
    try (CommandService commands = Instances.start(env);
        ProjectionService projections = ProjectionInstances.start(projectionEnv)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> commands.isReady() && projections.isReady());
      String api = Instances.url(commands) + "/api/v1/accounts/";
      assertThat(
              Http.post(api + "healthy/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\"}").status())
          .isEqualTo(201);

      String bootstrap = SharedStack.broker().bootstrapServers();
      byte[] key = "healthy".getBytes(StandardCharsets.UTF_8);
      EventLog.writeRaw(bootstrap, prefix + "accounts.events", key, GARBAGE);
      EventLog.writeRaw(bootstrap, prefix + "accounts.events", key, UNKNOWN_SCHEMA);

      Http.Response deposit = Http.post(api + "healthy/deposit", "{\"amount\":\"2.50\"}");
      assertThat(deposit.status()).as("commands after the poison still work").isEqualTo(200);
      assertThat(deposit.header("ETag")).isEqualTo("\"2\"");
      Http.Response read =
          Http.get(ProjectionInstances.url(projections) + "/api/v1/accounts/healthy?minVersion=2");
      assertThat(read.status()).as("events after the poison are projected").isEqualTo(200);
      assertThat(new BigDecimal(read.json().get("balance").asText())).isEqualByComparingTo("2.50");

      List<ConsumerRecord<byte[], byte[]>> eventDlq = readAll(prefix + "projections.dlq", 2);
      assertThat(eventDlq)
          .extracting(ConsumerRecord::value)
          .containsExactly(GARBAGE, UNKNOWN_SCHEMA);
      for (ConsumerRecord<byte[], byte[]> record : eventDlq) {
        assertThat(header(record, "__streams.errors.exception")).isNotBlank();
        assertThat(header(record, "__streams.errors.topic")).isEqualTo(prefix + "accounts.events");
      }
      assertThat(
              Http.get(ProjectionInstances.url(projections) + "/api/v1/status")
                  .json()
                  .get("deadLetters")
                  .asLong())
          .isEqualTo(2);
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Waits until {@code topic} holds {@code expected} committed records, and returns them. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              records.clear();
              records.addAll(EventLog.readRaw(SharedStack.broker().bootstrapServers(), topic));
              return records.size() >= expected;
            });
    return records;
  }
}
