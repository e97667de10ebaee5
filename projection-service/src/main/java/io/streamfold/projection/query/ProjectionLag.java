package io.streamfold.projection.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the projections trail the event log: per partition, the end offset minus the offset the
 * application committed (its position as of the last commit), for the whole application (all
 * instances). Cached for a second; a rebuild has caught up when the total is 0.
 */
public final class ProjectionLag implements AutoCloseable {
  private final Admin admin;
  private final String applicationId;
  private final String eventsTopic;
  private Snapshot cached;
  private Instant cachedAt = Instant.EPOCH;

  /** The lag at one moment. */
  public record Snapshot(long total, Map<Integer, Long> partitions) {}

  public ProjectionLag(Properties adminConfig, String applicationId, String eventsTopic) {
    this.admin = Admin.create(adminConfig);
    this.applicationId = applicationId;
    this.eventsTopic = eventsTopic;
  }

  public synchronized Snapshot snapshot() {
    if (cached != null && Duration.between(cachedAt, Instant.now()).toMillis() < 1000) {
      return cached;
    }
    try {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(eventsTopic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(eventsTopic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(eventsTopic, p.partition()))
              .toList();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(applicationId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<Integer, Long> byPartition = new TreeMap<>();
      long total = 0;
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata position = committed.get(partition);
        long lag =
            Math.max(0, ends.get(partition).offset() - (position == null ? 0 : position.offset()));
        byPartition.put(partition.partition(), lag);
        total += lag;
      }
      cached = new Snapshot(total, byPartition);
      cachedAt = Instant.now();
      return cached;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the lag", e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not read the projection lag: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
