package io.streamfold.command.it;

import io.streamfold.bank.account.AccountEvent;
import io.streamfold.bank.avro.AccountAggregate;
import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Reads whole topics (committed records only, in partition order) and writes raw records. */
public final class EventLog {
  private EventLog() {}

  /** One event with where it was found. */
  public record Entry<E>(
      String key, int partition, long offset, long timestamp, EventEnvelope<E> event) {}

  /** Every account event of {@code topic}, decoded with the schemas of the registry. */
  public static List<Entry<AccountEvent>> readAccounts(
      String bootstrap, String registryUrl, String topic) {
    AccountAggregate accounts = new AccountAggregate(HttpSchemaRegistry.cached(registryUrl), false);
    return readAll(bootstrap, topic, accounts.codec());
  }

  public static <E> List<Entry<E>> readAll(
      String bootstrap, String topic, AggregateCodec<?, E, ?> codec) {
    List<Entry<E>> entries = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readRaw(bootstrap, topic)) {
      entries.add(
          new Entry<>(
              new String(record.key(), java.nio.charset.StandardCharsets.UTF_8),
              record.partition(),
              record.offset(),
              record.timestamp(),
              codec.decodeEvent(record.value())));
    }
    return entries;
  }

  /** Every committed record of {@code topic} up to its current end, partition by partition. */
  public static List<ConsumerRecord<byte[], byte[]>> readRaw(String bootstrap, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Could not read " + topic + " to its end within 60 s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    records.sort(
        java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
            .thenComparingLong(ConsumerRecord::offset));
    return records;
  }

  /** Writes one record as it is, outside any transaction, as a misbehaving producer could. */
  public static void writeRaw(String bootstrap, String topic, byte[] key, byte[] value) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not write to " + topic, e.getCause());
    }
  }
}
