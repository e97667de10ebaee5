package io.streamfold.service.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service needs with their configuration and checks existing ones: a topic
 * whose partition count differs from the one required fails the start, since commands, events and
 * the version table must stay co-partitioned; so does one whose value of a required config ({@link
 * TopicSpec#required()}, e.g. the event log's retention) differs. Never relies on broker
 * auto-creation.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Properties adminConfig;

  public TopicProvisioner(Properties adminConfig) {
    this.adminConfig = adminConfig;
  }

  /** Creates what is missing, then verifies every topic; throws with every mismatch found. */
  public void ensure(List<TopicSpec> topics) {
    try (Admin admin = Admin.create(adminConfig)) {
      ensure(admin, topics);
    }
  }

  /** {@link #ensure(List)} through an admin client the caller already has open. */
  public static void ensure(Admin admin, List<TopicSpec> topics) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec spec : topics) {
        if (!existing.contains(spec.name())) {
          missing.add(
              new NewTopic(spec.name(), spec.partitions(), spec.replication())
                  .configs(spec.configs()));
        }
      }
      create(admin, missing);
      verify(admin, topics);
      awaitLeaders(admin, topics.stream().map(TopicSpec::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while provisioning topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not provision topics: " + e.getMessage(), e);
    }
  }

  private static void create(Admin admin, List<NewTopic> missing)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (missing.isEmpty()) {
      return;
    }
    for (var entry : admin.createTopics(missing).values().entrySet()) {
      try {
        entry.getValue().get(30, TimeUnit.SECONDS);
        LOG.info("Created topic {}", entry.getKey());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) { // another instance created it first
          throw e;
        }
      }
    }
  }

  /**
   * Describes the topics, waiting out the moment after creation when the broker does not know them
   * yet.
   */
  private static Map<String, TopicDescription> describe(Admin admin, List<TopicSpec> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin
            .describeTopics(topics.stream().map(TopicSpec::name).toList())
            .allTopicNames()
            .get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private static void verify(Admin admin, List<TopicSpec> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> described = describe(admin, topics);
    List<String> problems = new ArrayList<>();
    for (TopicSpec spec : topics) {
      int actual = described.get(spec.name()).partitions().size();
      if (actual != spec.partitions()) {
        problems.add(
            spec.name()
                + " has "
                + actual
                + " partitions but "
                + spec.partitions()
                + " are required");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Topic layout mismatch (partition counts must never change; set TOPIC_PARTITIONS to the existing count or migrate): "
              + String.join("; ", problems));
    }
    verifyRequiredConfigs(admin, topics);
  }

  private static void verifyRequiredConfigs(Admin admin, List<TopicSpec> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<TopicSpec> checked = topics.stream().filter(t -> !t.required().isEmpty()).toList();
    if (checked.isEmpty()) {
      return;
    }
    Map<ConfigResource, Config> configs =
        admin
            .describeConfigs(
                checked.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name()))
                    .toList())
            .all()
            .get(30, TimeUnit.SECONDS);
    List<String> problems = new ArrayList<>();
    for (TopicSpec spec : checked) {
      Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      for (String key : spec.required().stream().sorted().toList()) {
        ConfigEntry entry = actual.get(key);
        String value = entry == null ? null : entry.value();
        if (!spec.configs().get(key).equals(value)) {
          problems.add(
              spec.name()
                  + " has "
                  + key
                  + "="
                  + value
                  + " where "
                  + spec.configs().get(key)
                  + " is required");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Topic configuration mismatch (fix it with kafka-configs.sh --alter before starting): "
              + String.join("; ", problems));
    }
  }

  /**
   * Waits until every partition of {@code topics} answers a ListOffsets request, i.e. its leader
   * has loaded it: a producer writing to a topic in its first moments can otherwise be refused
   * (NOT_LEADER_OR_FOLLOWER) and, idempotent, get stuck retrying out of sequence.
   */
  public static void awaitLeaders(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        Offsets.end(admin, topics);
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }
}
