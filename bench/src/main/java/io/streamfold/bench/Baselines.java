package io.streamfold.bench;

import io.streamfold.service.kafka.TopicProvisioner;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Raw Kafka on the same broker, in the same run: producer throughput (acks=all), single-send
 * latency, consumer throughput, and an exactly-once read-process-write passthrough (Kafka Streams
 * with the command processor's commit settings) for latency at fixed rates and for throughput.
 */
final class Baselines {
  static final int RECORD_BYTES = 200;
  private final String bootstrap;
  private final int partitions;

  Baselines(String bootstrap, int partitions) {
    this.bootstrap = bootstrap;
    this.partitions = partitions;
  }

  private String topic(String name) throws Exception {
    String topic = "baseline-" + name + "-" + System.nanoTime();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      TopicProvisioner.awaitLeaders(admin, List.of(topic));
    }
    return topic;
  }

  private KafkaProducer<byte[], byte[]> producer(int lingerMs) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("acks", "all");
    config.put("linger.ms", lingerMs);
    config.put("batch.size", 65_536);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer(boolean readCommitted) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("isolation.level", readCommitted ? "read_committed" : "read_uncommitted");
    config.put("fetch.max.wait.ms", 5);
    config.put("enable.auto.commit", false);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static byte[] key(long i) {
    return ("key-" + (i % 1000)).getBytes();
  }

  /** Producer throughput and then consumer throughput over the same records. */
  Map<String, Object> produceAndConsume(int records) throws Exception {
    String topic = topic("throughput");
    byte[] value = new byte[RECORD_BYTES];
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = producer(5)) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, key(i), value));
      }
      producer.flush();
    }
    double produceSeconds = (System.nanoTime() - start) / 1e9;
    long consumed = 0;
    start = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(false)) {
      List<TopicPartition> all =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      while (consumed < records) {
        consumed += consumer.poll(Duration.ofMillis(100)).count();
      }
    }
    double consumeSeconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("records", records);
    json.put("recordBytes", RECORD_BYTES);
    json.put("producerRecordsPerSecond", Math.round(records / produceSeconds));
    json.put("consumerRecordsPerSecond", Math.round(records / consumeSeconds));
    return json;
  }

  /**
   * One-record transactions, begin to commit, one after another on one transactional producer: the
   * floor of any exactly-once write on this broker.
   */
  Latency singleTransaction(int transactions) throws Exception {
    String topic = topic("transaction");
    Histogram histogram = Latency.histogram();
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("transactional.id", "baseline-" + System.nanoTime());
    config.put("linger.ms", 0);
    config.put("retry.backoff.ms", 2);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      for (int i = 0; i < transactions; i++) {
        long start = System.nanoTime();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, key(i), new byte[RECORD_BYTES]));
        producer.commitTransaction();
        histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
      }
    }
    return Latency.of(histogram);
  }

  /** One record at a time, acks=all, waiting for each acknowledgement. */
  Latency singleSend(int sends) throws Exception {
    String topic = topic("single");
    Histogram histogram = Latency.histogram();
    try (KafkaProducer<byte[], byte[]> producer = producer(0)) {
      for (int i = 0; i < sends; i++) {
        long start = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, key(i), new byte[RECORD_BYTES])).get();
        histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
      }
    }
    return Latency.of(histogram);
  }

  private KafkaStreams passthrough(String in, String out) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baseline-passthrough-" + System.nanoTime());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20);
    props.put(StreamsConfig.POLL_MS_CONFIG, 5);
    props.put(StreamsConfig.producerPrefix("linger.ms"), 5);
    props.put(StreamsConfig.consumerPrefix("fetch.max.wait.ms"), 50);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        System.getProperty("java.io.tmpdir") + "/streamfold-bench-passthrough");
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return streams;
  }

  /**
   * End-to-end latency (send to read_committed receipt) through the EOS passthrough at a fixed
   * rate.
   */
  Latency eosLatency(int rate, Duration duration) throws Exception {
    String in = topic("eos-in");
    String out = topic("eos-out");
    Histogram histogram = Latency.histogram();
    int total = (int) (rate * duration.toMillis() / 1000);
    try (KafkaStreams streams = passthrough(in, out);
        KafkaConsumer<byte[], byte[]> consumer = consumer(true);
        KafkaProducer<byte[], byte[]> producer = producer(0)) {
      List<TopicPartition> all =
          consumer.partitionsFor(out).stream()
              .map(p -> new TopicPartition(out, p.partition()))
              .toList();
      consumer.assign(all);
      consumer.seekToEnd(all);
      all.forEach(consumer::position);
      AtomicLong received = new AtomicLong();
      AtomicBoolean done = new AtomicBoolean();
      Thread reader =
          new Thread(
              () -> {
                long deadline =
                    System.nanoTime() + duration.toNanos() + TimeUnit.SECONDS.toNanos(30);
                while (received.get() < total && System.nanoTime() < deadline) {
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(50))) {
                    long intended = ByteBuffer.wrap(record.value()).getLong();
                    histogram.recordValue(Math.max(1, (System.nanoTime() - intended) / 1000));
                    received.incrementAndGet();
                  }
                }
                done.set(true);
              },
              "baseline-reader");
      reader.start();
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long intended = start + i * period;
        OpenLoop.waitUntil(intended);
        byte[] value = ByteBuffer.allocate(RECORD_BYTES).putLong(intended).array();
        producer.send(new ProducerRecord<>(in, key(i), value));
      }
      producer.flush();
      reader.join();
    }
    return Latency.of(histogram);
  }

  /** Records per second through the EOS passthrough, from a preloaded input. */
  long eosThroughput(int records) throws Exception {
    String in = topic("eos-tp-in");
    String out = topic("eos-tp-out");
    try (KafkaProducer<byte[], byte[]> producer = producer(5)) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(in, key(i), new byte[RECORD_BYTES]));
      }
    }
    long start = System.nanoTime();
    long received = 0;
    try (KafkaStreams streams = passthrough(in, out);
        KafkaConsumer<byte[], byte[]> consumer = consumer(true)) {
      List<TopicPartition> all =
          consumer.partitionsFor(out).stream()
              .map(p -> new TopicPartition(out, p.partition()))
              .toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (received < records && System.nanoTime() < deadline) {
        received += consumer.poll(Duration.ofMillis(100)).count();
      }
    }
    return Math.round(received / ((System.nanoTime() - start) / 1e9));
  }
}
