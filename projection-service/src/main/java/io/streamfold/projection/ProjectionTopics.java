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
    // one admin client for all of it: each new one costs a connection and a metadata round trip
    try (Admin admin = Admin.create(config.clientProperties())) {
      int partitions = awaitEvents(admin, awaited);
      Map<String, String> twoWeeks =
          Map.of(
              "cleanup.policy",
              "delete",
              "retention.ms",
              Long.toString(Duration.ofDays(14).toMillis()),
              "min.insync.replicas",
              Short.toString(config.minInsyncReplicas()));
      List<TopicSpec> topics = new java.util.ArrayList<>();
      topics.add(new TopicSpec(config.deadLetterTopic(), 1, config.replication(), twoWeeks));
      Map<String, Integer> views = new java.util.LinkedHashMap<>();
      for (String topic : viewSources) {
        if (views.putIfAbsent(topic, partitions) != null) {
          continue;
        }
        if (!topic.equals(awaited)) { // the awaited one the command service made, as it needs it
          topics.add(
              TopicSpec.eventLog(
                  topic, partitions, config.replication(), config.minInsyncReplicas()));
        }
        topics.add( // co-partitioned with its view's events: a replay reaches its view's task
            new TopicSpec(
                io.streamfold.projection.topology.ProjectionTopology.replayTopic(topic),
                partitions,
                config.replication(),
                twoWeeks));
      }
      // every view's events topic has the awaited one's partition count: ensure refuses another
      TopicProvisioner.ensure(admin, topics);
      return new Partitions(partitions, views);
    }
  }

  private static int awaitEvents(Admin admin, String topic) {
    Instant deadline = Instant.now().plus(EVENTS_WAIT);
    for (int attempt = 0; ; attempt++) {
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
        if (attempt % 50 == 0) { // every 5 s: started beside the command service, it waits
          LOG.info("Waiting for the events topic {} to exist", topic);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted", e);
        }
      }
    }
  }
}
