package io.streamfold.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.topology.ProjectionCounters;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** How many stream threads an instance starts with (the end of a catch-up: ProjectionIT). */
class CatchUpTest {
  static ProjectionServiceConfig config(String... settings) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "k:9092");
    env.put("SCHEMA_REGISTRY_URL", "http://r:8080/apis/ccompat/v7");
    env.put("KEY_ENCRYPTION_KEY", "dGVzdHMtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=");
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    return ProjectionServiceConfig.fromEnv(env);
  }

  static Object threadsAtStart(ProjectionServiceConfig config, long behind) {
    Properties streams = ProjectionSettings.of(config, new ProjectionCounters());
    CatchUp.decide(config, behind, streams);
    return streams.get("num.stream.threads");
  }

  @Test
  void shouldStartWithTheCatchUpThreadsOnlyWhenFarEnoughBehind() {
    ProjectionServiceConfig config = config("CATCH_UP_STREAM_THREADS", "4", "CATCH_UP_LAG", "1000");

    assertThat(threadsAtStart(config, 999)).isEqualTo(1);
    assertThat(threadsAtStart(config, 1000)).isEqualTo(4);
    Properties streams = ProjectionSettings.of(config, new ProjectionCounters());
    assertThat(CatchUp.decide(config, 5000, streams).status())
        .containsEntry("streamThreads", 4)
        .containsEntry("behindAtStart", 5000L)
        .containsEntry("endsAtLag", 10L)
        .containsEntry("caughtUpAt", null);
    assertThat(CatchUp.decide(config, 10, streams).status()).isNull();
  }

  @Test
  void shouldNeverStartWithFewerThreadsThanUsual() {
    ProjectionServiceConfig config =
        config("NUM_STREAM_THREADS", "3", "CATCH_UP_STREAM_THREADS", "2", "CATCH_UP_LAG", "1");

    assertThat(threadsAtStart(config, 1_000_000)).isEqualTo(3);
  }
}
