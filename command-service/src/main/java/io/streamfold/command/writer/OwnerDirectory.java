package io.streamfold.command.writer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who owns which partition, from the ownership group's description: each member's client id carries
 * its advertised address, its assignment the partitions it owns. Cached; refreshed when older than
 * a second or when a forwarded command found a stale route.
 */
final class OwnerDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerDirectory.class);
  private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** However often a fresh answer is asked for, the group is described at most this often. */
  private static final long MIN_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Admin admin;
  private final String group;
  private final String topic;
  private volatile Map<Integer, HostInfo> owners = Map.of();
  private volatile long readAt;

  OwnerDirectory(Properties clientProperties, String group, String topic) {
    Properties config = new Properties();
    config.putAll(clientProperties);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, group + "-directory");
    this.admin = Admin.create(config);
    this.group = group;
    this.topic = topic;
  }

  /** The owner of {@code partition}, or null when none is known. */
  HostInfo owner(int partition, boolean fresh) {
    long age = System.nanoTime() - readAt;
    if (age > MAX_AGE_NANOS || (fresh && age > MIN_AGE_NANOS)) {
      refresh();
    }
    return owners.get(partition);
  }

  /** Whether every one of {@code partitions} has an owner (from a directory at most 1 s old). */
  boolean ownsAll(int partitions) {
    if (System.nanoTime() - readAt > MAX_AGE_NANOS) {
      refresh();
    }
    return owners.size() == partitions;
  }

  private synchronized void refresh() {
    try {
      ConsumerGroupDescription description =
          admin
              .describeConsumerGroups(java.util.List.of(group))
              .all()
              .get(5, TimeUnit.SECONDS)
              .get(group);
      Map<Integer, HostInfo> found = new HashMap<>();
      for (MemberDescription member : description.members()) {
        String server = Ownership.serverOf(member.clientId());
        if (server == null) {
          continue;
        }
        for (TopicPartition partition : member.assignment().topicPartitions()) {
          if (partition.topic().equals(topic)) {
            found.put(partition.partition(), HostInfo.buildFromEndpoint(server));
          }
        }
      }
      owners = Map.copyOf(found);
      readAt = System.nanoTime();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("Could not describe the ownership group {}", group, e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
