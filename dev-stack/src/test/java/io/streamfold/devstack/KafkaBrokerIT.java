package io.streamfold.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaBrokerIT {
  private static KafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.startTemporary();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void shouldRunTheThreadsSizedForThisMachine() throws Exception {
    ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      Config config = admin.describeConfigs(List.of(node)).all().get().get(node);
      KafkaBroker.threads(Runtime.getRuntime().availableProcessors())
          .forEach((name, value) -> assertThat(config.get(name).value()).as(name).isEqualTo(value));
    }
  }

  @Test
  void shouldCommitTransactionsAndHideAbortedOnesFromReadCommittedConsumers() throws Exception {
    String topic = "tx-round-trip";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer = transactionalProducer("tx-test")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "committed-1"));
      producer.send(new ProducerRecord<>(topic, "b", "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "c", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "d", "committed-3"));
      producer.commitTransaction();
    }

    List<String> values = readAll(topic, 3);

    assertThat(values).containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
  }

  @Test
  void shouldKeepDataAcrossARestartOfAPersistentBroker() throws Exception {
    var dir = Dirs.temporary("kafka-persistent-");
    try (KafkaBroker persistent = KafkaBroker.builder().dataDir(dir).build().start()) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", persistent.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("durable", 1, (short) 1))).all().get();
      }
      persistent.stop();
      assertThat(persistent.isRunning()).isFalse();
      persistent.start();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", persistent.bootstrapServers()))) {
        Set<String> names = admin.listTopics().names().get();
        assertThat(names).contains("durable");
      }
    } finally {
      Dirs.deleteRecursively(dir);
    }
  }

  /**
   * The broker validates a compressed batch by reading it: it needs every codec a client may use.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gzip", "lz4", "zstd", "snappy"})
  void shouldTakeBatchesInEveryCompressionTheClientsOffer(String codec) throws Exception {
    String topic = "compressed-" + codec;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                codec,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", codec + "-1")).get();
      producer.send(new ProducerRecord<>(topic, "k", codec + "-2")).get();
    }

    assertThat(readAll(topic, 2)).containsExactly(codec + "-1", codec + "-2");
  }

  private KafkaProducer<String, String> transactionalProducer(String transactionalId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        new StringSerializer());
  }

  private List<String> readAll(String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "reader-" + topic,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      // one more poll to see that nothing else (the aborted record) follows
      consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
    }
    return values;
  }
}
