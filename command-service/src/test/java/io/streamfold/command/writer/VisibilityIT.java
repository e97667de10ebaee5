package io.streamfold.command.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.devstack.SharedStack;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.kafka.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The check a writer makes before it answers, against the real broker: a committed batch's records
 * are seen; an aborted one's are reported as aborted (the writer answers 504, never 200); one that
 * is neither within the deadline times out.
 */
class VisibilityIT {
  private final String prefix = "visibility-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final TopicPartition versions = new TopicPartition(prefix + ".versions", 0);
  private final TopicPartition idempotency = new TopicPartition(prefix + ".idempotency", 0);

  private Properties client() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", SharedStack.broker().bootstrapServers());
    return properties;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties config = client();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "-writer");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private Visibility visibility() {
    Properties config = client();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new Visibility(
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        versions,
        idempotency,
        new PartitionStore.Checkpoint(0, 0));
  }

  private static long deadline(Duration in) {
    return System.nanoTime() + in.toNanos();
  }

  private static long send(KafkaProducer<byte[], byte[]> producer, TopicPartition partition)
      throws Exception {
    return producer
        .send(
            new ProducerRecord<>(
                partition.topic(), partition.partition(), "k".getBytes(), "v".getBytes()))
        .get()
        .offset();
  }

  @Test
  void shouldSeeCommittedBatchesAndReportAbortedOrUndecidedOnes() throws Exception {
    new TopicProvisioner(client())
        .ensure(
            List.of(
                new TopicSpec(versions.topic(), 1, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(
                    idempotency.topic(), 1, (short) 1, Map.of("cleanup.policy", "compact"))));
    try (KafkaProducer<byte[], byte[]> producer = producer();
        Visibility visibility = visibility()) {
      producer.initTransactions();

      producer.beginTransaction();
      send(producer, versions);
      long row = send(producer, versions);
      long remembered = send(producer, idempotency);
      producer.commitTransaction();
      visibility.await(
          Map.of(versions, row, idempotency, remembered), deadline(Duration.ofSeconds(10)));

      producer.beginTransaction();
      long aborted = send(producer, versions);
      producer.abortTransaction();
      assertThatThrownBy(
              () -> visibility.await(Map.of(versions, aborted), deadline(Duration.ofSeconds(10))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("aborted");

      producer.beginTransaction();
      long undecided = send(producer, versions);
      assertThatThrownBy(
              () -> visibility.await(Map.of(versions, undecided), deadline(Duration.ofSeconds(1))))
          .isInstanceOf(TimeoutException.class);
      producer.commitTransaction();
      visibility.await(Map.of(versions, undecided), deadline(Duration.ofSeconds(10)));

      producer.beginTransaction();
      long next = send(producer, idempotency);
      producer.commitTransaction();
      visibility.await(Map.of(idempotency, next), deadline(Duration.ofSeconds(10)));
      assertThat(next).isGreaterThan(remembered);
    }
  }
}
