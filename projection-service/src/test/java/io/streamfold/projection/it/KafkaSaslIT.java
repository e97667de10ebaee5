package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.devstack.KafkaBroker;
import io.streamfold.projection.ProjectionService;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both services against a broker that only speaks SASL/PLAIN, configured purely through the {@code
 * KAFKA_*} passthrough: commands are written and projected; a wrong password stops start-up with an
 * authentication error instead of hanging.
 */
class KafkaSaslIT {
  static final String USER = "streamfold";
  static final String PASSWORD = "streamfold-sasl-password";
  static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.builder().saslPlainUser(USER, PASSWORD).build().start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static Map<String, String> environment(String password) {
    Map<String, String> env = Instances.environment("sasl");
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    KafkaBroker.saslClient(USER, password)
        .forEach((name, value) -> env.put("KAFKA_" + name.toUpperCase().replace('.', '_'), value));
    return env;
  }

  @Test
  void shouldWriteAndProjectOverSasl() {
    Map<String, String> env = environment(PASSWORD);
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    try (CommandService commands = Instances.start(env);
        ProjectionService projections = ProjectionInstances.start(projectionEnv)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> commands.isReady() && projections.isReady());
      String api = Instances.url(commands) + "/api/v1/accounts/sasl-1";
      assertThat(Http.post(api + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\"}").status())
          .isEqualTo(201);
      assertThat(Http.post(api + "/deposit", "{\"amount\":\"12.34\"}").status()).isEqualTo(200);
      Http.Response read =
          Http.get(ProjectionInstances.url(projections) + "/api/v1/accounts/sasl-1?minVersion=2");
      assertThat(read.status()).as(read.raw().body()).isEqualTo(200);
      assertThat(new BigDecimal(read.json().get("balance").asText())).isEqualByComparingTo("12.34");
    }
  }

  @Test
  void shouldFailStartUpOnAWrongPassword() {
    Map<String, String> env = environment("not-the-password");
    long start = System.nanoTime();
    assertThatThrownBy(() -> Instances.start(env).close())
        .satisfies(
            e -> {
              List<Throwable> chain = new ArrayList<>();
              for (Throwable t = e; t != null; t = t.getCause()) {
                chain.add(t);
              }
              assertThat(chain).hasAtLeastOneElementOfType(SaslAuthenticationException.class);
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }
}
