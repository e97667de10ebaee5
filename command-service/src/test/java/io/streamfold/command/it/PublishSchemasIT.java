package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import io.streamfold.command.PublishSchemas;
import io.streamfold.devstack.SharedStack;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A production-style deployment: schemas published by the release, the service not registering any.
 */
class PublishSchemasIT {
  @Test
  void shouldServeCommandsWithSchemasPublishedAheadAndAutoRegistrationOff() {
    Map<String, String> env = Instances.environment("published");
    env.put("SCHEMA_AUTO_REGISTER", "false");
    Map<String, Integer> ids =
        PublishSchemas.publish(
            HttpSchemaRegistry.cached(SharedStack.registry().url()), env.get("TOPIC_PREFIX"));
    assertThat(ids).containsKey(env.get("TOPIC_PREFIX") + "accounts.events-value-v2").hasSize(9);

    try (CommandService service = Instances.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(service::isReady);
      String api = Instances.url(service) + "/api/v1/accounts/published-1";

      assertThat(Http.post(api + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\"}").status())
          .isEqualTo(201);
      assertThat(Http.post(api + "/deposit", "{\"amount\":\"1\"}").status()).isEqualTo(200);
      assertThat(Http.get(api).json().get("state").get("balance").asText()).isEqualTo("1.00");
    }
  }
}
