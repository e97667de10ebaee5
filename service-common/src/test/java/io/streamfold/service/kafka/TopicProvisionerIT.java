package io.streamfold.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.devstack.SharedStack;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicProvisionerIT {
  private final Properties admin = new Properties();

  TopicProvisionerIT() {
    admin.put("bootstrap.servers", SharedStack.broker().bootstrapServers());
  }

  @Test
  void shouldCreateMissingTopicsWithTheirConfigurationAndAcceptThemOnTheNextStart()
      throws Exception {
    String name = "provisioned-" + UUID.randomUUID();
    List<TopicSpec> specs =
        List.of(new TopicSpec(name, 4, (short) 1, Map.of("retention.ms", "-1")));

    new TopicProvisioner(admin).ensure(specs);
    new TopicProvisioner(admin).ensure(specs);

    try (Admin client = Admin.create(admin)) {
      assertThat(client.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions())
          .hasSize(4);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
      ConfigEntry retention =
          client.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms");
      assertThat(retention.value()).isEqualTo("-1");
    }
  }

  @Test
  void shouldFailFastNamingATopicWhosePartitionCountDiffers() throws Exception {
    String name = "mismatched-" + UUID.randomUUID();
    try (Admin client = Admin.create(admin)) {
      client.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get();
    }

    assertThatThrownBy(
            () ->
                new TopicProvisioner(admin)
                    .ensure(List.of(new TopicSpec(name, 6, (short) 1, Map.of()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("has 3 partitions but 6 are required");
  }

  @Test
  void shouldFailFastNamingARequiredConfigThatDiffers() throws Exception {
    String name = "short-lived-log-" + UUID.randomUUID();
    try (Admin client = Admin.create(admin)) {
      client
          .createTopics(
              List.of(
                  new NewTopic(name, 2, (short) 1).configs(Map.of("retention.ms", "604800000"))))
          .all()
          .get();
    }
    TopicSpec log =
        new TopicSpec(
            name,
            2,
            (short) 1,
            Map.of("retention.ms", "-1", "retention.bytes", "-1", "segment.ms", "3600000"),
            java.util.Set.of("retention.ms", "retention.bytes"));

    assertThatThrownBy(() -> new TopicProvisioner(admin).ensure(List.of(log)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name + " has retention.ms=604800000 where -1 is required")
        .hasMessageNotContaining("retention.bytes")
        .hasMessageNotContaining("segment.ms");
  }
}
