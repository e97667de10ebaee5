package io.streamfold.service.http;

import io.streamfold.service.kafka.KafkaProbe;
import java.util.Map;
import java.util.Properties;

/** The outside services an instance needs to be ready: the Kafka cluster and the registry. */
public final class Dependencies implements AutoCloseable {
  private final KafkaProbe kafka;
  private final RegistryProbe registry;

  public Dependencies(Properties kafkaClientProperties, String registryUrl) {
    this.kafka = new KafkaProbe(kafkaClientProperties);
    this.registry = new RegistryProbe(registryUrl);
  }

  /** Whether the Kafka cluster answered the last probe (cheap: no call is made). */
  public boolean kafkaReachable() {
    return kafka.reachable();
  }

  /** Adds a readiness problem for each dependency that does not answer. */
  public void check(Map<String, String> problems) {
    if (!kafka.reachable()) {
      problems.put("kafka", "unreachable");
    }
    if (!registry.reachable()) {
      problems.put("schemaRegistry", "unreachable");
    }
  }

  @Override
  public void close() {
    kafka.close();
  }
}
