package io.streamfold.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the client classifies what a registry answers, against an HTTP server on loopback that
 * answers what each test scripts (a real registry cannot be made to answer 401, 429 or a proxy's
 * page on demand). Only the registry's own verdicts on data may look like bad data: everything else
 * is {@link RegistryUnavailableException}, which the projections never dead-letter.
 */
class HttpSchemaRegistryFailuresTest {
  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}";

  private record Scripted(int status, String body) {}

  private final Deque<Scripted> script = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;
  private String url;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          Scripted next;
          synchronized (script) {
            next = script.size() > 1 ? script.poll() : script.peek();
          }
          byte[] body = next.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(next.status(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(int status, String body) {
    script.add(new Scripted(status, body));
  }

  private HttpSchemaRegistry client(Duration coolDown) {
    return new HttpSchemaRegistry(url, 3, Duration.ofMillis(1), Duration.ofSeconds(2), coolDown);
  }

  @Test
  void shouldReportRefusedCredentialsAsUnavailableWithoutRetrying() {
    answer(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");

    assertThatThrownBy(() -> client(Duration.ZERO).schemaById(7))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("credentials")
        .hasMessageContaining("401");
    assertThat(requests).hasValue(1);
  }

  @Test
  void shouldReportAForbiddenAnswerAsUnavailable() {
    answer(403, "Forbidden");

    assertThatThrownBy(() -> client(Duration.ZERO).lookup("s", new Schema.Parser().parse(SCHEMA)))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("403");
  }

  @Test
  void shouldRetryWhenRateLimited() {
    answer(429, "{\"error_code\":42901,\"message\":\"slow down\"}");
    answer(200, "{\"schema\":" + quoted(SCHEMA) + "}");

    assertThat(client(Duration.ZERO).schemaById(7).getName()).isEqualTo("R");
    assertThat(requests).hasValue(2);
  }

  @Test
  void shouldReportAStillRateLimitedRegistryAsUnavailable() {
    answer(429, "{\"error_code\":42901,\"message\":\"slow down\"}");

    assertThatThrownBy(() -> client(Duration.ZERO).schemaById(7))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("3 attempts")
        .hasMessageContaining("429");
  }

  @Test
  void shouldTellTheRegistrysNotFoundFromAWrongUrl() {
    answer(404, "{\"error_code\":40403,\"message\":\"Schema 7 not found\"}");
    assertThatThrownBy(() -> client(Duration.ZERO).schemaById(7))
        .isInstanceOf(SchemaNotFoundException.class);

    script.clear();
    answer(404, "<html><body>Not Found</body></html>"); // a proxy's page: the URL is wrong
    assertThatThrownBy(() -> client(Duration.ZERO).schemaById(7))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("404");
  }

  @Test
  void shouldReportAnAnswerThatIsNotTheRegistrysJsonAsUnavailable() {
    answer(200, "<html>a captive portal</html>");

    assertThatThrownBy(() -> client(Duration.ZERO).schemaById(7))
        .isInstanceOf(RegistryUnavailableException.class);
  }

  @Test
  void shouldFailAtOnceDuringTheCoolDownAfterFindingTheRegistryDown() {
    answer(503, "down");
    HttpSchemaRegistry registry = client(Duration.ofMinutes(1));
    assertThatThrownBy(() -> registry.schemaById(7))
        .isInstanceOf(RegistryUnavailableException.class);
    assertThat(requests).hasValue(3);

    script.clear();
    answer(200, "{\"schema\":" + quoted(SCHEMA) + "}");
    assertThatThrownBy(() -> registry.schemaById(7))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("failing at once");
    assertThat(requests).hasValue(3);
  }

  private static String quoted(String json) {
    return "\"" + json.replace("\"", "\\\"") + "\"";
  }
}
