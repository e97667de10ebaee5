package io.streamfold.service.kafka;

import java.util.Map;
import java.util.Set;

/**
 * A topic as we need it: name, partitions, replication and topic-level configuration.
 *
 * @param required keys of {@code configs} an existing topic must also have, with the same value, or
 *     the start fails (e.g. the event log's infinite retention); other keys are applied only when
 *     the topic is created, so an operator may tune them
 */
public record TopicSpec(
    String name,
    int partitions,
    short replication,
    Map<String, String> configs,
    Set<String> required) {

  public TopicSpec {
    if (!configs.keySet().containsAll(required)) {
      throw new IllegalArgumentException("A required config needs a value: " + required);
    }
  }

  public TopicSpec(String name, int partitions, short replication, Map<String, String> configs) {
    this(name, partitions, replication, configs, Set.of());
  }

  /**
   * An event log: kept forever ({@code cleanup.policy=delete}, no time or size limit), which an
   * existing topic must also be, or the start fails.
   */
  public static TopicSpec eventLog(String name, int partitions, short replication, short minIsr) {
    return new TopicSpec(
        name,
        partitions,
        replication,
        Map.of(
            "cleanup.policy",
            "delete",
            "retention.ms",
            "-1",
            "retention.bytes",
            "-1",
            "min.insync.replicas",
            Short.toString(minIsr)),
        Set.of("cleanup.policy", "retention.ms", "retention.bytes"));
  }
}
