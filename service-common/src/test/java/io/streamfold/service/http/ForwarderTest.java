package io.streamfold.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class ForwarderTest {
  static final HostInfo OWNER = new HostInfo("10.0.0.7", 8081);

  @Test
  void shouldCallOtherInstancesWithTheConfiguredScheme() {
    assertThat(
            new Forwarder("self:1", Duration.ofSeconds(1))
                .uri(OWNER, "/api/v1/accounts/a?minVersion=2")
                .toString())
        .isEqualTo("http://10.0.0.7:8081/api/v1/accounts/a?minVersion=2");
    assertThat(
            new Forwarder("self:1", Duration.ofSeconds(1), "https")
                .uri(OWNER, "/api/v1/accounts/a")
                .toString())
        .isEqualTo("https://10.0.0.7:8081/api/v1/accounts/a");
  }

  @Test
  void shouldAnswer400ForAQueryThatIsNotAValidUri() {
    ProblemException problem =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                new Forwarder("self:1", Duration.ofSeconds(1))
                    .uri(OWNER, "/api/v1/accounts/a?asOf=2026|01"));

    assertThat(problem.problem().status()).isEqualTo(400);
    assertThat(problem.problem().code()).isEqualTo("invalid-uri");
  }
}
