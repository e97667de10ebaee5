package io.streamfold.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/** Command latency at fixed rates, throughput at saturation, and command-to-visible lag. */
final class CommandScenarios {
  static final int ACCOUNTS = 1000;
  private final HttpClient http = Http.client(64);
  private final String commands;
  private final String projections;

  CommandScenarios(String commands, String projections) {
    this.commands = commands + "/api/v1/accounts/";
    this.projections = projections + "/api/v1/accounts/";
  }

  /** Opens the accounts the scenarios use (bench-0 … bench-999), in parallel. */
  void openAccounts() {
    OpenLoop.run(
        http,
        500,
        Duration.ofMillis(ACCOUNTS * 2L),
        i ->
            Http.post(
                commands + "bench-" + i + "/open",
                "{\"owner\":\"Bench "
                    + i % 50
                    + "\",\"currency\":\"EUR\",\"initialDeposit\":\"1000000.00\"}",
                "Idempotency-Key",
                "bench-open-" + i),
        null);
  }

  /** Deposits on many accounts (no contention) at a fixed rate. */
  OpenLoop.Result fixedRate(int rate, Duration duration) {
    return OpenLoop.run(
        http,
        rate,
        duration,
        i -> Http.post(commands + "bench-" + (i % ACCOUNTS) + "/deposit", "{\"amount\":\"1.00\"}"),
        null);
  }

  /** After each 2xx, a read with minVersion: the time from the 2xx to the projection showing it. */
  Map<String, Object> commandToVisible(int rate, Duration duration) {
    Histogram visible = Latency.histogram();
    OpenLoop.Result commandsResult =
        OpenLoop.run(
            http,
            rate,
            duration,
            i ->
                Http.post(
                    commands + "bench-" + (i % ACCOUNTS) + "/deposit", "{\"amount\":\"1.00\"}"),
            (i, response, intended) -> {
              if (response.statusCode() != 200) {
                return CompletableFuture.completedFuture(null);
              }
              long acknowledged = System.nanoTime();
              return http.sendAsync(
                      Http.get(
                          projections
                              + "bench-"
                              + (i % ACCOUNTS)
                              + "?minVersion="
                              + Http.version(response)
                              + "&waitMs=10000"),
                      HttpResponse.BodyHandlers.discarding())
                  .thenAccept(
                      read -> {
                        synchronized (visible) {
                          visible.recordValue(
                              Math.max(1, (System.nanoTime() - acknowledged) / 1000));
                        }
                      });
            });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rate", rate);
    json.put("commands", commandsResult.latency().json());
    json.put("visibleAfterAck", Latency.of(visible).json());
    return json;
  }

  /** Closed loop: {@code clients} each send the next command as soon as the last is answered. */
  Map<String, Object> saturation(int clients, Duration duration, boolean contended)
      throws Exception {
    AtomicLong accepted = new AtomicLong();
    AtomicLong mismatched = new AtomicLong();
    AtomicLong other = new AtomicLong();
    ThreadLocal<Map<Integer, Long>> knownVersions = ThreadLocal.withInitial(java.util.HashMap::new);
    double seconds =
        ClosedLoop.run(
            clients,
            duration,
            () -> {
              Map<Integer, Long> known = knownVersions.get();
              int account =
                  contended
                      ? ThreadLocalRandom.current().nextInt(4)
                      : ThreadLocalRandom.current().nextInt(ACCOUNTS);
              String[] headers =
                  contended
                      ? new String[] {"If-Match", "\"" + known.getOrDefault(account, 1L) + "\""}
                      : new String[0];
              HttpResponse<String> response;
              try {
                response =
                    http.send(
                        Http.post(
                            commands + "bench-" + account + "/deposit",
                            "{\"amount\":\"1.00\"}",
                            headers),
                        HttpResponse.BodyHandlers.ofString());
              } catch (IOException e) {
                other.incrementAndGet();
                return;
              }
              if (response.statusCode() == 200) {
                accepted.incrementAndGet();
                known.put(account, Http.version(response));
              } else if (response.statusCode() == 412) {
                mismatched.incrementAndGet();
                String body = response.body();
                int at = body.indexOf("\"currentVersion\":");
                if (at >= 0) {
                  known.put(
                      account, Long.parseLong(body.substring(at + 17).replaceAll("[^0-9].*$", "")));
                }
              } else {
                other.incrementAndGet();
              }
            });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("clients", clients);
    json.put("contended", contended);
    json.put("acceptedPerSecond", Math.round(accepted.get() / seconds));
    json.put("versionMismatchPerSecond", Math.round(mismatched.get() / seconds));
    json.put("otherAnswers", other.get());
    return json;
  }
}
