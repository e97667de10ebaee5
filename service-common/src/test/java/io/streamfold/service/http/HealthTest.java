package io.streamfold.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Both probes over real HTTP: 200 while their checks pass, 503 naming the failing ones. */
class HealthTest {
  private static HttpResponse<String> get(Javalin app, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldTurnLivenessDownOnlyForWhatARestartFixes() throws Exception {
    AtomicReference<Map<String, String>> live = new AtomicReference<>(Map.of());
    AtomicReference<Map<String, String>> ready = new AtomicReference<>(Map.of("kafka", "down"));
    Javalin app =
        LoopbackServer.start(
            config -> {
              Health.install(config, live::get, ready::get);
            });
    try {
      assertThat(get(app, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = get(app, "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("\"kafka\":\"down\"");

      live.set(Map.of("ownership", "the ownership loop stopped; restart"));
      HttpResponse<String> dead = get(app, "/health/live");
      assertThat(dead.statusCode()).isEqualTo(503);
      assertThat(dead.body()).contains("DOWN").contains("ownership");
    } finally {
      app.stop();
    }
  }
}
