package io.streamfold.schemas.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.devstack.Ports;
import io.streamfold.devstack.SharedStack;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract against a real Apicurio Registry through its Confluent-compatible API. */
class HttpSchemaRegistryIT extends SchemaRegistryContract {
  private final SchemaRegistry registry =
      new HttpSchemaRegistry(
          SharedStack.registry().url(), 3, Duration.ofMillis(50), Duration.ofSeconds(5));

  @Override
  SchemaRegistry registry() {
    return registry;
  }

  @Test
  void shouldCarryTheRegistrysOwnMessageWhenItRefusesASchema() {
    String subject = newSubject();
    registry.register(subject, V1);

    assertThatThrownBy(() -> registry.register(subject, V2_WITHOUT_DEFAULT))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining(SharedStack.registry().url())
        .hasMessageContaining(subject);
  }

  @Test
  void shouldNameTheUrlWhenTheRegistryIsUnreachable() {
    String url = "http://127.0.0.1:" + Ports.freeLoopbackPort() + "/apis/ccompat/v7";
    SchemaRegistry unreachable =
        new HttpSchemaRegistry(url, 3, Duration.ofMillis(10), Duration.ofSeconds(1));

    assertThatThrownBy(() -> unreachable.schemaById(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("3 attempts");
  }
}
