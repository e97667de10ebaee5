package io.streamfold.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.service.http.Json;
import org.junit.jupiter.api.Test;

/** When `projection rebuild` counts an instance as settled. */
class ProjectionsTest {
  static JsonNode status(String json) throws Exception {
    return Json.mapper().readTree(json);
  }

  @Test
  void shouldWaitForACatchUpToEndBeforeCountingAnInstanceAsSettled() throws Exception {
    assertThat(Projections.settled(status("{\"state\":\"RUNNING\",\"streamThreads\":1}"))).isTrue();
    assertThat(Projections.settled(status("{\"state\":\"REBALANCING\"}"))).isFalse();
    assertThat(
            Projections.settled(
                status(
                    "{\"state\":\"RUNNING\",\"streamThreads\":2,"
                        + "\"catchUp\":{\"streamThreads\":2,\"caughtUpAt\":null}}")))
        .isFalse();
    assertThat(
            Projections.settled(
                status(
                    "{\"state\":\"RUNNING\",\"streamThreads\":1,"
                        + "\"catchUp\":{\"streamThreads\":2,"
                        + "\"caughtUpAt\":\"2026-12-04T02:03:32.954Z\"}}")))
        .isTrue();
  }
}
