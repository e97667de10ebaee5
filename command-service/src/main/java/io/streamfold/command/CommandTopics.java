package io.streamfold.command;

import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.service.kafka.TopicSpec;
import java.util.List;
import java.util.Map;

/**
 * The topics the command service creates. Commands and events share one partition count (an
 * aggregate's commands, events and version-table row meet in one task); events are kept forever;
 * commands and outcomes are short-lived; the version table is created by Kafka Streams as the
 * compacted changelog of the {@code <type>-versions} store.
 */
final class CommandTopics {
  private static final String WEEK = Long.toString(7L * 24 * 3600 * 1000);
  private static final String DAY = Long.toString(24L * 3600 * 1000);

  private CommandTopics() {}

  static List<TopicSpec> specs(Topics topics, CommandServiceConfig config) {
    int partitions = config.partitions();
    short replication = config.replication();
    String minIsr = Integer.toString(Math.min(2, replication));
    return List.of(
        new TopicSpec(
            topics.commands(),
            partitions,
            replication,
            Map.of("cleanup.policy", "delete", "retention.ms", DAY)),
        new TopicSpec(
            topics.events(),
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
                minIsr)),
        new TopicSpec(
            topics.results(),
            partitions,
            replication,
            Map.of("cleanup.policy", "delete", "retention.ms", DAY)),
        new TopicSpec(
            topics.commandsDlq(),
            1,
            replication,
            Map.of("cleanup.policy", "delete", "retention.ms", WEEK)));
  }
}
