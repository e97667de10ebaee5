package io.streamfold.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.streamfold.service.config.Env;
import io.streamfold.service.http.LoopbackServer;
import io.streamfold.service.http.Problems;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard over real HTTP. */
class SecurityTest {
  static final String KEY = "k-0123456789abcdef";
  Javalin app;

  @BeforeEach
  void start() {
    SecuritySettings settings =
        SecuritySettings.fromEnv(
            new Env(
                Map.of(
                    "AUTH_API_KEYS", "alice:" + KEY,
                    "AUTH_FAILURE_BURST", "3",
                    "AUTH_FAILURES_PER_MINUTE", "1")));
    app =
        LoopbackServer.start(
            config -> {
              Problems.install(config);
              new Security(settings).install(config);
              config.routes.get("/api/v1/thing", ctx -> ctx.result("ok"));
            });
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  HttpResponse<String> get(String key) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/thing"))
                .header("X-API-Key", key)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldLimitFailedAuthenticationsPerAddressEvenForGoodCredentialsAfterwards()
      throws Exception {
    assertThat(get(KEY).statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(get("k-wrong-wrong-wrong-" + i).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> guessing = get("k-wrong-wrong-wrong-4");
    HttpResponse<String> good = get(KEY);

    assertThat(guessing.statusCode()).isEqualTo(429);
    assertThat(guessing.body()).contains("too-many-failed-authentications");
    assertThat(guessing.headers().firstValue("Retry-After")).hasValue("60");
    assertThat(good.statusCode()).as("the address is held back whatever it sends").isEqualTo(429);
  }

  @Test
  void shouldNotCountSuccessfulAuthentications() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(get(KEY).statusCode()).isEqualTo(200);
    }
  }
}
