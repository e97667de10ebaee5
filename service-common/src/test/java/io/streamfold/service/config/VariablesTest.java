package io.streamfold.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VariablesTest {
  @Test
  void shouldPrintNamesButNeverValues() {
    Variables variables =
        new Variables(Map.of("KEY_ENCRYPTION_KEY", "c2VjcmV0", "TOPIC_PREFIX", "t."));

    assertThat(variables.toString())
        .isEqualTo("Variables[KEY_ENCRYPTION_KEY, TOPIC_PREFIX]")
        .doesNotContain("c2VjcmV0");
    assertThat(variables.values()).containsEntry("TOPIC_PREFIX", "t.");
  }
}
