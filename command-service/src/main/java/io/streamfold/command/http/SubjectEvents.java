package io.streamfold.command.http;

import io.streamfold.schemas.core.SubjectErased;
import io.streamfold.schemas.core.SubjectEvent;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends the events of data subjects ({@link SubjectErased}) to their log, keyed by subject id,
 * with an idempotent producer ({@code acks=all}); each append waits for its acknowledgement. An
 * erasure asked twice is recorded twice: the log says when each request was honoured.
 */
public final class SubjectEvents implements AutoCloseable {
  private final String topic;
  private final AvroSerde<SubjectEvent> serde;
  private final KafkaProducer<String, byte[]> producer;

  public SubjectEvents(
      Properties clients, String topic, SchemaRegistry registry, boolean autoRegister) {
    this.topic = topic;
    this.serde = AvroSerde.of(SubjectEvent.class, registry, autoRegister);
    Properties config = new Properties();
    config.putAll(clients);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "subject-events-" + topic);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** Records that {@code subjectId} was forgotten; returns the event written. */
  public SubjectEvent erased(
      String subjectId, Instant at, Duration window, String correlationId, String principal)
      throws Exception {
    SubjectEvent event =
        SubjectEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setSubjectId(subjectId)
            .setOccurredAt(at)
            .setCorrelationId(correlationId)
            .setPrincipal(principal)
            .setPayload(new SubjectErased(at.plus(window)))
            .build();
    producer
        .send(
            new ProducerRecord<>(
                topic, null, at.toEpochMilli(), subjectId, serde.encode(topic, event)))
        .get(15, TimeUnit.SECONDS);
    return event;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
