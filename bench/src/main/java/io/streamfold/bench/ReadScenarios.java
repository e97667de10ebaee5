package io.streamfold.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/** Read latency and throughput of one account, for keys the instance owns and keys it forwards. */
final class ReadScenarios {
  private final HttpClient http = Http.client(32);
  private final String base;

  ReadScenarios(String projection) {
    this.base = projection;
  }

  /** Splits the accounts into those {@code base} answers itself and those it forwards. */
  Map<Boolean, List<String>> ownership(int accounts) throws Exception {
    Map<Boolean, List<String>> split = new LinkedHashMap<>();
    split.put(true, new ArrayList<>());
    split.put(false, new ArrayList<>());
    String self = base.substring(base.lastIndexOf('/') + 1);
    for (int i = 0; i < accounts; i++) {
      HttpResponse<Void> response =
          http.send(
              Http.get(base + "/api/v1/accounts/bench-" + i),
              HttpResponse.BodyHandlers.discarding());
      String servedBy = response.headers().firstValue("X-Streamfold-Served-By").orElse("");
      split.get(servedBy.equals(self)).add("bench-" + i);
    }
    return split;
  }

  Map<String, Object> closedLoop(List<String> keys, int clients, Duration duration)
      throws Exception {
    Histogram histogram = Latency.histogram();
    AtomicLong ok = new AtomicLong();
    AtomicLong other = new AtomicLong();
    double seconds =
        ClosedLoop.run(
            clients,
            duration,
            () -> {
              String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
              long sent = System.nanoTime();
              HttpResponse<String> response =
                  http.send(
                      Http.get(base + "/api/v1/accounts/" + key),
                      HttpResponse.BodyHandlers.ofString());
              long micros = (System.nanoTime() - sent) / 1000;
              synchronized (histogram) {
                histogram.recordValue(Math.max(1, micros));
              }
              (response.statusCode() == 200 ? ok : other).incrementAndGet();
            });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("clients", clients);
    json.put("readsPerSecond", Math.round(ok.get() / seconds));
    json.put("latency", Latency.of(histogram).json());
    json.put("non200", other.get());
    return json;
  }
}
