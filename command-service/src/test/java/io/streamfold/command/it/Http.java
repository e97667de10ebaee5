package io.streamfold.command.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.service.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small real HTTP client for the tests. */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  /** A response with its JSON body parsed (null when the body is not JSON). */
  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }
  }

  public static Response post(String url, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (!typed) {
      request.header("Content-Type", "application/json");
    }
    return send(request.build());
  }

  /** Any method, any body bytes, exactly the given headers (no Content-Type added). */
  public static Response request(String method, String url, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  public static Response get(String url, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  /**
   * The body as a string, except an event stream's, which never ends: its connection is closed as
   * soon as the headers are in, so a test that expected a refusal fails instead of hanging.
   */
  private static HttpResponse.BodySubscriber<String> body(HttpResponse.ResponseInfo info) {
    if (info.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
      return new HttpResponse.BodySubscriber<>() {
        @Override
        public java.util.concurrent.CompletionStage<String> getBody() {
          return java.util.concurrent.CompletableFuture.completedFuture("(an event stream)");
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
          subscription.cancel();
        }

        @Override
        public void onNext(java.util.List<java.nio.ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
      };
    }
    return HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = CLIENT.send(request, Http::body);
      JsonNode json = null;
      try {
        json = response.body().isEmpty() ? null : Json.mapper().readTree(response.body());
      } catch (IOException notJson) {
        // leave null
      }
      return new Response(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new IllegalStateException(
          "HTTP " + request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
