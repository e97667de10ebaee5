package io.streamfold.projection;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class ProjectionLivenessTest {
  @Test
  void shouldBeDeadOnlyInKafkaStreamsErrorStates() {
    for (State state : State.values()) {
      boolean dead = state == State.ERROR || state == State.PENDING_ERROR;
      assertThat(ProjectionService.liveness(state).isEmpty()).as(state.name()).isEqualTo(!dead);
    }
  }
}
