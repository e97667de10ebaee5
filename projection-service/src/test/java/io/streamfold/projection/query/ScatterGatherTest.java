package io.streamfold.projection.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamfold.service.http.ProblemException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScatterGatherTest {
  static LocalStores.Part<List<String>> part(Integer... partitions) {
    return new LocalStores.Part<>(Set.of(partitions), List.of());
  }

  @Test
  void shouldAcceptPartsThatCoverEveryPartitionOnce() {
    assertThatCode(
            () ->
                ScatterGather.requireEveryPartitionOnce(
                    List.of(part(0, 2, 4), part(1, 3), part(5)), 6))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseAPartialAnswer() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () -> ScatterGather.requireEveryPartitionOnce(List.of(part(0, 1), part(3)), 4));

    assertThat(problem.problem().status()).isEqualTo(503);
    assertThat(problem.problem().detail()).contains("3 of 4").contains("partition 2");
    assertThat(problem.headers()).containsEntry("Retry-After", "1");
  }

  @Test
  void shouldRefuseAPartitionCountedTwice() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () -> ScatterGather.requireEveryPartitionOnce(List.of(part(0, 1), part(1, 2)), 3));

    assertThat(problem.problem().status()).isEqualTo(503);
    assertThat(problem.problem().detail()).contains("Partition 1").contains("two instances");
  }
}
