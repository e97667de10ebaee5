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
}
