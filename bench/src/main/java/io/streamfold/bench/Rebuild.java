package io.streamfold.bench;

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

  /** Starts a projection application over the topics of a prefix. */
  interface Projections {
    Running start(String applicationId, String topicPrefix) throws Exception;
  }

  /** A started projection application; closing it stops it. */
  interface Running extends AutoCloseable {
    /** CPU seconds it has used so far, or -1 where it shares its process with others. */
    default double cpuSeconds() throws Exception {
      return -1;
    }
  }

  private final String bootstrap;
  private final String registryUrl;
  private long brokerPid = -1;

  Rebuild(String bootstrap, String registryUrl) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
  }

  /**
   * Also reports the broker's CPU per event while each rebuild runs (the broker shares the
   * machine's cores with the rebuilding process, and every changelog record is work for it).
   */
  Rebuild withBroker(long pid) {
    this.brokerPid = pid;
    return this;
  }

  /** A fresh prefix whose events topic holds {@code events} bank events; its end offsets. */
  Preloaded preload(int events, int partitions) throws Exception {
    String prefix = "rebuild-" + System.currentTimeMillis() + ".";
    String topic = prefix + "accounts.events";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
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
    return new Preloaded(prefix, topic, events, ends, Math.round(events / preloadSeconds));
  }

  /** The preloaded events topic and where it ends. */
  record Preloaded(
      String prefix,
      String topic,
      int events,
      Map<TopicPartition, Long> ends,
      long preloadEventsPerSecond) {}

  Map<String, Object> run(int events, int partitions, Projections projections) throws Exception {
    Preloaded log = preload(events, partitions);
    Map<String, Object> json = measure(log, projections, log.prefix() + "projections");
    json.put("preloadEventsPerSecond", log.preloadEventsPerSecond());
    return json;
  }

  /** Starts a projection application under {@code applicationId} and times it to the end. */
  Map<String, Object> measure(Preloaded log, Projections projections, String applicationId)
      throws Exception {
    double brokerBefore = brokerPid > 0 ? ProcessCpu.secondsOf(brokerPid) : -1;
    long start = System.nanoTime();
    try (Running rebuilt = projections.start(applicationId, log.prefix())) {
      Progress progress = awaitCaughtUp(applicationId, log.ends(), start);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> json = new LinkedHashMap<>();
      double cpu = rebuilt.cpuSeconds();
      if (cpu >= 0) {
        json.put("cpuSeconds", cpu);
        json.put("cpuMicrosPerEvent", Math.round(cpu * 1e7 / log.events()) / 10.0);
      }
      if (brokerBefore >= 0) {
        double broker = Math.round((ProcessCpu.secondsOf(brokerPid) - brokerBefore) * 100) / 100.0;
        json.put("brokerCpuSeconds", broker);
        json.put("brokerCpuMicrosPerEvent", Math.round(broker * 1e7 / log.events()) / 10.0);
      }
      json.put("events", log.events());
      json.put("streamThreads", THREADS);
      json.put("seconds", Math.round(seconds * 100) / 100.0);
      json.put("eventsPerSecond", Math.round(log.events() / seconds));
      json.put("secondsToFirstCommit", Math.round(progress.firstCommit() * 100) / 100.0);
      json.put("foldEventsPerSecond", progress.foldRate(log.events()));
      json.put("secondHalfEventsPerSecond", progress.secondHalfRate(log.events()));
      return json;
    }
  }

  private void preload(String topic, int events) {
    AvroSerde<AccountEvent> serde =
        AvroSerde.of(AccountEvent.class, HttpSchemaRegistry.cached(registryUrl), true);
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
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
                ? new AccountOpened("Owner " + account, "EUR", new BigDecimal("10.00"), null)
                : new MoneyDeposited(new BigDecimal("1.00"), null, null);
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
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      return Offsets.end(admin, List.of(topic));
    }
  }

  /**
   * When the rebuild's first commit came (seconds after its start), when its committed position
   * passed a tenth, half and nine tenths of the log, and when it reached the end: the fold's own
   * rate with the process's start and finish left out, and the rate of the second half, by when the
   * JIT compilers have done most of their work (a long rebuild runs at about that rate).
   */
  record Progress(double firstCommit, double tenth, double half, double nineTenths, double end) {
    long foldRate(long events) {
      return nineTenths > tenth ? Math.round(events * 0.8 / (nineTenths - tenth)) : -1;
    }

    long secondHalfRate(long events) {
      return end > half ? Math.round(events * 0.5 / (end - half)) : -1;
    }
  }

  private Progress awaitCaughtUp(String applicationId, Map<TopicPartition, Long> ends, long start)
      throws Exception {
    long total = ends.values().stream().mapToLong(Long::longValue).sum();
    double firstCommit = -1;
    double tenth = -1;
    double half = -1;
    double nineTenths = -1;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        double now = (System.nanoTime() - start) / 1e9;
        long done =
            ends.keySet().stream()
                .mapToLong(p -> committed.get(p) == null ? 0 : committed.get(p).offset())
                .sum();
        firstCommit = firstCommit < 0 && done > 0 ? now : firstCommit;
        tenth = tenth < 0 && done * 10 >= total ? now : tenth;
        half = half < 0 && done * 2 >= total ? now : half;
        nineTenths = nineTenths < 0 && done * 10 >= total * 9 ? now : nineTenths;
        if (ends.entrySet().stream()
            .allMatch(
                end ->
                    end.getValue() == 0
                        || (committed.get(end.getKey()) != null
                            && committed.get(end.getKey()).offset() >= end.getValue()))) {
          return new Progress(firstCommit, tenth, half, nineTenths, now);
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      throw new IllegalStateException("The rebuild did not catch up within 30 minutes");
    }
  }
}
