package io.streamfold.projection;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.kafka.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log belongs to the command side: this service waits (up to a minute) for it to exist
 * and reads its partition count; it creates only its own dead-letter topic, the replay topics of
 * the log and of each plugged-in view's events (dead letters put back for the projections), and the
 * transfers' event log when the command service has not created it yet (with the spec the command
 * service gives it: same partitions, kept forever), since Kafka Streams refuses to start on a
 * missing source topic.
 */
final class ProjectionTopics {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionTopics.class);
  private static final Duration EVENTS_WAIT = Duration.ofSeconds(60);

  private ProjectionTopics() {}

  /**
   * The partition counts this service works with.
   *
   * @param events the first view's event log's (awaited)
   * @param views each plugged-in view's events topic's
   */
  record Partitions(int events, Map<String, Integer> views) {}

  /**
   * Waits for {@code awaited} (the first view's events, which the command service creates), then
   * makes sure the dead-letter topic, the other views' event logs (co-partitioned with it) and
   * every log's replay topic exist.
   */
  static Partitions awaitEventsAndCreateDeadLetters(
      ProjectionServiceConfig config, String awaited, List<String> viewSources) {
    int partitions = awaitEvents(config, awaited);
    Map<String, String> twoWeeks =
        Map.of(
            "cleanup.policy",
            "delete",
            "retention.ms",
            Long.toString(Duration.ofDays(14).toMillis()),
            "min.insync.replicas",
            Short.toString(config.minInsyncReplicas()));
    new TopicProvisioner(config.clientProperties())
        .ensure(
            List.of(new TopicSpec(config.deadLetterTopic(), 1, config.replication(), twoWeeks)));
    List<TopicSpec> sources = new java.util.ArrayList<>();
    for (String topic : viewSources) {
      if (topic.equals(awaited)) {
        continue; // awaited above: the command service made it, as it needs it
      }
      sources.add(
          TopicSpec.eventLog(topic, partitions, config.replication(), config.minInsyncReplicas()));
    }
    new TopicProvisioner(config.clientProperties()).ensure(sources);
    Map<String, Integer> views = partitionsOf(config, viewSources.stream().distinct().toList());
    List<TopicSpec> replays = new java.util.ArrayList<>();
    views.forEach( // co-partitioned with each view's events: a replay reaches its view's task
        (topic, count) ->
            replays.add(
                new TopicSpec(
                    io.streamfold.projection.topology.ProjectionTopology.replayTopic(topic),
                    count,
                    config.replication(),
                    twoWeeks)));
    new TopicProvisioner(config.clientProperties()).ensure(replays);
    return new Partitions(partitions, views);
  }

  /** The partition count of each of {@code topics}, which exist. */
  static Map<String, Integer> partitionsOf(ProjectionServiceConfig config, List<String> topics) {
    if (topics.isEmpty()) {
      return Map.of();
    }
    try (Admin admin = Admin.create(config.clientProperties())) {
      Map<String, Integer> partitions = new java.util.HashMap<>();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .forEach((topic, description) -> partitions.put(topic, description.partitions().size()));
      return partitions;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot describe the topics " + topics, e);
    }
  }

  private static int awaitEvents(ProjectionServiceConfig config, String topic) {
    Instant deadline = Instant.now().plus(EVENTS_WAIT);
    try (Admin admin = Admin.create(config.clientProperties())) {
      while (true) {
        try {
          return admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
        } catch (Exception notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(
                "The events topic "
                    + topic
                    + " does not exist after "
                    + EVENTS_WAIT
                    + ": start the command service first, or check TOPIC_PREFIX",
                notYet);
          }
          LOG.info("Waiting for the events topic {} to exist", topic);
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
          }
        }
      }
    }
  }
}
