package io.streamfold.service.kafka;

import java.util.Map;

/** A topic as we need it: name, partitions, replication and topic-level configuration. */
public record TopicSpec(
    String name, int partitions, short replication, Map<String, String> configs) {}
