package io.streamfold.bench;

import io.streamfold.projection.ProjectionService;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.service.kafka.Offsets;
import io.streamfold.service.kafka.TopicProvisioner;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
  /** Stream threads of the rebuilding instance (two measured no faster than one on 2 cores). */
  static final int THREADS = 1;

  private final Stack stack;

  Rebuild(Stack stack) {
    this.stack = stack;
  }

  Map<String, Object> run(int events, int partitions) throws Exception {
    String prefix = "rebuild-" + System.currentTimeMillis() + ".";
    String topic = prefix + "accounts.events";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      TopicProvisioner.awaitLeaders(admin, List.of(topic));
    }
    long preloadStart = System.nanoTime();
    preload(topic, events);
    double preloadSeconds = (System.nanoTime() - preloadStart) / 1e9;
    Map<TopicPartition, Long> ends = endOffsets(topic);
    long written = ends.values().stream().mapToLong(Long::longValue).sum();
    if (written != events) {
      throw new IllegalStateException("Preloaded " + written + " events, not " + events);
    }
    String applicationId = prefix + "projections";
    long start = System.nanoTime();
    try (ProjectionService rebuilt = stack.startProjection(applicationId, prefix, THREADS)) {
      awaitCaughtUp(applicationId, ends);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("events", events);
      json.put("streamThreads", THREADS);
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
    int accounts = Math.max(1, events / 100);
    Instant at = Instant.now().minusSeconds(3600);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < events && failure.get() == null; i++) {
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
                serde.encode(topic, event)),
            (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "Preloading the events failed: " + failure.get(), failure.get());
    }
  }

  private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker.bootstrapServers()))) {
      return Offsets.end(admin, List.of(topic));
    }
  }

  private void awaitCaughtUp(String applicationId, Map<TopicPartition, Long> ends)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker.bootstrapServers()))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        if (ends.entrySet().stream()
            .allMatch(
                end ->
                    end.getValue() == 0
                        || (committed.get(end.getKey()) != null
                            && committed.get(end.getKey()).offset() >= end.getValue()))) {
          return;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      throw new IllegalStateException("The rebuild did not catch up within 30 minutes");
    }
  }
}
