package io.streamfold.bench;

import io.streamfold.projection.ProjectionService;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Projection rebuild: preloads events straight into a fresh events topic with a producer, then
 * starts a fresh projection application and times it until its committed position reaches the end.
 */
final class Rebuild {
  private final Stack stack;

  Rebuild(Stack stack) {
    this.stack = stack;
  }

  Map<String, Object> run(int events, int partitions) throws Exception {
    String prefix = "rebuild-" + System.currentTimeMillis() + ".";
    String topic = prefix + "accounts.events";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    long preloadStart = System.nanoTime();
    preload(topic, events);
    double preloadSeconds = (System.nanoTime() - preloadStart) / 1e9;
    String applicationId = prefix + "projections";
    long start = System.nanoTime();
    try (ProjectionService rebuilt = stack.startProjection(applicationId, prefix)) {
      awaitCaughtUp(applicationId, topic);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("events", events);
      json.put("seconds", Math.round(seconds * 100) / 100.0);
      json.put("eventsPerSecond", Math.round(events / seconds));
      json.put("preloadEventsPerSecond", Math.round(events / preloadSeconds));
      return json;
    }
  }

  private void preload(String topic, int events) {
    AvroSerde<AccountEvent> serde =
        AvroSerde.of(AccountEvent.class, HttpSchemaRegistry.cached(stack.registry.url()), true);
    Properties config = new Properties();
    config.put("bootstrap.servers", stack.broker.bootstrapServers());
    config.put("acks", "all");
    config.put("linger.ms", 20);
    config.put("batch.size", 262_144);
    config.put("compression.type", "lz4");
    int accounts = Math.max(1, events / 100);
    Instant at = Instant.now().minusSeconds(3600);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < events; i++) {
        int account = i % accounts;
        long version = i / accounts + 1;
        Object payload =
            version == 1
                ? new AccountOpened("Owner " + account, "EUR", new BigDecimal("10.00"))
                : new MoneyDeposited(new BigDecimal("1.00"));
        AccountEvent event =
            AccountEvent.newBuilder()
                .setEventId("e-" + i)
                .setAggregateType("account")
                .setAggregateId("r-" + account)
                .setVersion(version)
                .setOccurredAt(at.plusMillis(i))
                .setCommandId("c-" + i)
                .setCorrelationId("c-" + i)
                .setPayload(payload)
                .build();
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                at.plusMillis(i).toEpochMilli(),
                "r-" + account,
                serde.encode(topic, event)));
      }
      producer.flush();
    }
  }

  private void awaitCaughtUp(String applicationId, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker.bootstrapServers()))) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        boolean done =
            partitions.stream()
                .allMatch(
                    p ->
                        committed.get(p) != null
                            && committed.get(p).offset() >= ends.get(p).offset());
        if (done) {
          return;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      throw new IllegalStateException("The rebuild did not catch up within 30 minutes");
    }
  }
}
