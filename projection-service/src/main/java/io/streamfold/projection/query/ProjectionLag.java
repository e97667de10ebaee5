package io.streamfold.projection.query;

import io.streamfold.service.kafka.Offsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the projections trail: per partition of the event log, the end offset minus the offset
 * the application committed, for the whole application (all instances); and the same for its
 * repartition topics, behind which the views' indexes are one hop late, and the event logs of the
 * other plugged-in views. Cached for a second. A rebuild has caught up, and readers may switch to
 * it, when the total is 0.
 */
public final class ProjectionLag implements AutoCloseable {
  private final Admin admin;
  private final String applicationId;
  private final String eventsTopic;
  private final List<String> repartitionTopics;
  private final List<String> viewTopics;
  private Snapshot cached;
  private Instant cachedAt = Instant.EPOCH;

  /**
   * The lag at one moment.
   *
   * @param total the events' lag plus the repartition topics' and the views' logs' lag
   * @param partitions the events' lag per partition
   * @param repartition the repartition topics' lag in all
   * @param views the other plugged-in views' event logs' lag in all
   */
  public record Snapshot(long total, Map<Integer, Long> partitions, long repartition, long views) {}

  /**
   * @param eventsTopic the event log whose lag is also shown per partition
   * @param repartitionNames the repartition operators' names, e.g. {@code account-views-by-ownerId}
   * @param viewTopics the event logs the plugged-in views read
   */
  public ProjectionLag(
      Properties adminConfig,
      String applicationId,
      String eventsTopic,
      List<String> repartitionNames,
      List<String> viewTopics) {
    this.admin = Admin.create(adminConfig);
    this.applicationId = applicationId;
    this.eventsTopic = eventsTopic;
    this.repartitionTopics =
        repartitionNames.stream().map(name -> applicationId + "-" + name + "-repartition").toList();
    this.viewTopics = viewTopics.stream().distinct().filter(t -> !t.equals(eventsTopic)).toList();
  }

  public synchronized Snapshot snapshot() {
    if (cached != null && Duration.between(cachedAt, Instant.now()).toMillis() < 1000) {
      return cached;
    }
    try {
      Map<TopicPartition, Long> lags = lags();
      Map<Integer, Long> byPartition = new TreeMap<>();
      long events = 0;
      long repartition = 0;
      long views = 0;
      for (Map.Entry<TopicPartition, Long> lag : lags.entrySet()) {
        if (lag.getKey().topic().equals(eventsTopic)) {
          byPartition.put(lag.getKey().partition(), lag.getValue());
          events += lag.getValue();
        } else if (viewTopics.contains(lag.getKey().topic())) {
          views += lag.getValue();
        } else {
          repartition += lag.getValue();
        }
      }
      cached = new Snapshot(events + repartition + views, byPartition, repartition, views);
      cachedAt = Instant.now();
      return cached;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the lag", e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not read the projection lag: " + e.getMessage(), e);
    }
  }

  private Map<TopicPartition, Long> lags() throws Exception {
    List<String> topics = new ArrayList<>(List.of(eventsTopic));
    List<String> existing = new ArrayList<>(admin.listTopics().names().get(10, TimeUnit.SECONDS));
    repartitionTopics.stream().filter(existing::contains).forEach(topics::add);
    viewTopics.stream().filter(existing::contains).forEach(topics::add);
    Map<TopicPartition, Long> ends = Offsets.end(admin, topics);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(applicationId)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    Map<TopicPartition, Long> lags = new HashMap<>();
    for (TopicPartition partition : ends.keySet()) {
      OffsetAndMetadata position = committed.get(partition);
      lags.put(
          partition, Math.max(0, ends.get(partition) - (position == null ? 0 : position.offset())));
    }
    return lags;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
