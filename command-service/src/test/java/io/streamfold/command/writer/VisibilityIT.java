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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The check a writer makes before it answers, against the real broker: a committed batch's records
 * are seen; an aborted one's are reported as aborted (the writer answers 504, never 200); one that
 * is neither within the deadline times out; a partition no longer followed fails its waiters.
 */
class VisibilityIT {
  private final String prefix = "visibility-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final TopicPartition events = new TopicPartition(prefix + ".events", 0);
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
    Visibility visibility =
        new Visibility(
            Restorer.consumer(client(), prefix + "-visibility", 500, "read_committed"),
            events.topic(),
            versions.topic(),
            idempotency.topic(),
            "it");
    visibility.follow(0, new PartitionStore.Checkpoint(0, 0, Mark.NONE), this);
    return visibility;
  }

  private static void await(Visibility visibility, Map<TopicPartition, Long> last, Duration within)
      throws Exception {
    try {
      visibility.await(last).get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
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
                new TopicSpec(events.topic(), 1, (short) 1, Map.of()),
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
      await(visibility, Map.of(versions, row, idempotency, remembered), Duration.ofSeconds(10));

      producer.beginTransaction();
      long aborted = send(producer, versions);
      producer.abortTransaction();
      assertThatThrownBy(() -> await(visibility, Map.of(versions, aborted), Duration.ofSeconds(10)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("aborted");

      producer.beginTransaction();
      long undecided = send(producer, versions);
      assertThatThrownBy(
              () -> await(visibility, Map.of(versions, undecided), Duration.ofSeconds(1)))
          .isInstanceOf(TimeoutException.class);
      producer.commitTransaction();
      await(visibility, Map.of(versions, undecided), Duration.ofSeconds(10));

      producer.beginTransaction();
      long next = send(producer, idempotency);
      producer.commitTransaction();
      await(visibility, Map.of(idempotency, next), Duration.ofSeconds(10));
      assertThat(next).isGreaterThan(remembered);

      producer.beginTransaction();
      long orphan = send(producer, versions);
      var waiting = visibility.await(Map.of(versions, orphan));
      visibility.unfollow(0, this);
      assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class);
      producer.abortTransaction();
    }
  }
}
