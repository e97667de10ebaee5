package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
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
import org.junit.jupiter.api.Test;

/**
 * Records nobody could have written through the API, put straight onto the commands and events
 * topics: each lands in its dead-letter topic with the error and its source recorded, and both
 * pipelines keep going for the commands and events around it.
 */
class PoisonRecordsIT {
  /** Wire format with an id the registry has never issued. */
  static final byte[] UNKNOWN_SCHEMA = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};

  static final byte[] GARBAGE = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldDeadLetterPoisonAndKeepProcessing() throws Exception {
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

      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        send(producer, prefix + "accounts.commands", "healthy", GARBAGE);
        send(producer, prefix + "accounts.commands", "healthy", UNKNOWN_SCHEMA);
        send(producer, prefix + "accounts.commands", "healthy", null);
        send(producer, prefix + "accounts.events", "healthy", GARBAGE);
        send(producer, prefix + "accounts.events", "healthy", UNKNOWN_SCHEMA);
        producer.flush();
      }

      Http.Response deposit = Http.post(api + "healthy/deposit", "{\"amount\":\"2.50\"}");
      assertThat(deposit.status()).as("commands after the poison still work").isEqualTo(200);
      assertThat(deposit.header("ETag")).isEqualTo("\"2\"");
      Http.Response read =
          Http.get(ProjectionInstances.url(projections) + "/api/v1/accounts/healthy?minVersion=2");
      assertThat(read.status()).as("events after the poison are projected").isEqualTo(200);
      assertThat(new BigDecimal(read.json().get("balance").asText())).isEqualByComparingTo("2.50");

      List<ConsumerRecord<byte[], byte[]>> commandDlq =
          readAll(prefix + "accounts.commands.dlq", 3);
      assertThat(commandDlq)
          .extracting(
              r -> r.value() == null ? "null" : new String(r.value(), StandardCharsets.ISO_8859_1))
          .containsExactly(
              new String(GARBAGE, StandardCharsets.ISO_8859_1),
              new String(UNKNOWN_SCHEMA, StandardCharsets.ISO_8859_1),
              "null");
      for (ConsumerRecord<byte[], byte[]> record : commandDlq) {
        assertThat(header(record, "streamfold.error.class")).isNotBlank();
        assertThat(header(record, "streamfold.source.topic"))
            .isEqualTo(prefix + "accounts.commands");
      }
      assertThat(header(commandDlq.get(1), "streamfold.error.message"))
          .contains("Unknown schema id");

      List<ConsumerRecord<byte[], byte[]>> eventDlq = readAll(prefix + "accounts.events.dlq", 2);
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

  static KafkaProducer<byte[], byte[]> producer() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.broker().bootstrapServers());
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Waits until {@code topic} holds {@code expected} committed records, and returns them in order.
   */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.broker().bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
              });
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    records.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
    return records;
  }
}
