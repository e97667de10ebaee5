package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.schemas.registry.RegistryUnavailableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  @Test
  void shouldDeadLetterOnlyWhatIsWrongWithTheRecord() {
    assertThat(DeadLetters.isInfrastructureFailure(new SerializationException("bad bytes")))
        .isFalse();
    assertThat(DeadLetters.isInfrastructureFailure(new IllegalArgumentException("unknown payload")))
        .isFalse();

    assertThat(DeadLetters.isInfrastructureFailure(new RegistryUnavailableException("down", null)))
        .isTrue();
    assertThat(
            DeadLetters.isInfrastructureFailure(
                new ProcessorStateException(
                    "Error while putting key/value into store account-history",
                    new RuntimeException("Too many open files"))))
        .isTrue();
    assertThat(
            DeadLetters.isInfrastructureFailure(
                new RuntimeException(new java.io.IOException("disk"))))
        .isTrue();
  }
}
