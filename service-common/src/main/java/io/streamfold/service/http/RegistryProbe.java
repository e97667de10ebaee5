package io.streamfold.service.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Whether the schema registry answers, asked at most every few seconds (for readiness). */
public final class RegistryProbe {
  private static final Duration EVERY = Duration.ofSeconds(5);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final URI config;
  private volatile boolean reachable;
  private volatile long checkedAt;

  /**
   * @param registryUrl the Confluent-compatible API base
   */
  public RegistryProbe(String registryUrl) {
    this.config =
        URI.create((registryUrl.endsWith("/") ? registryUrl : registryUrl + "/") + "config");
  }

  public boolean reachable() {
    long now = System.nanoTime();
    if (checkedAt == 0 || now - checkedAt > EVERY.toNanos()) {
      reachable = ask();
      checkedAt = now;
    }
    return reachable;
  }

  private boolean ask() {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(config).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() < 500;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
