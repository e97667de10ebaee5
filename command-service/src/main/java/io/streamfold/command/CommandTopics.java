package io.streamfold.command;

import io.streamfold.command.aggregate.Topics;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.service.kafka.TopicSpec;
import java.util.List;
import java.util.Map;

/**
 * The topics the command service creates, all with one partition count so that an aggregate's
 * events, version row and idempotency records live on the same partition number and meet in one
 * writer: the events are kept forever (and an existing events topic that would not keep them fails
 * the start); the version table is compacted; idempotency records are compacted and deleted one
 * idempotency window after they were written; the inbox (messages from processes, and replies)
 * keeps a message a week; the subjects' events (erasures) are kept forever too. All of them get
 * {@code TOPIC_MIN_ISR}.
 */
final class CommandTopics {
  private CommandTopics() {}

  static List<TopicSpec> specs(Topics topics, CommandServiceConfig config) {
    int partitions = config.partitions();
    short replication = config.replication();
    String minIsr = Integer.toString(config.minInsyncReplicas());
    return List.of(
        TopicSpec.eventLog(topics.events(), partitions, replication, config.minInsyncReplicas()),
        new TopicSpec(
            topics.versions(),
            partitions,
            replication,
            Map.of("cleanup.policy", "compact", "min.insync.replicas", minIsr)),
        new TopicSpec(
            topics.idempotency(),
            partitions,
            replication,
            Map.of(
                "cleanup.policy",
                "compact,delete",
                "retention.ms",
                Long.toString(config.idempotencyWindow().toMillis()),
                "min.insync.replicas",
                minIsr)),
        new TopicSpec(
            topics.inbox(),
            partitions,
            replication,
            Map.of(
                "cleanup.policy",
                "delete",
                "retention.ms",
                Long.toString(INBOX_RETENTION.toMillis()),
                "min.insync.replicas",
                minIsr)),
        TopicSpec.eventLog(
            subjects(config.topicPrefix()), partitions, replication, config.minInsyncReplicas()));
  }

  /**
   * How long a message waits in an inbox: decided within moments while the partition has an owner,
   * so this only bounds how long a partition may stay unserved before messages to it are lost.
   */
  static final java.time.Duration INBOX_RETENTION = java.time.Duration.ofDays(7);

  /** The log of what was done to data subjects (their erasures), keyed by subject id. */
  static String subjects(String topicPrefix) {
    return topicPrefix + "subjects.events";
  }
}
