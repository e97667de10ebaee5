package io.streamfold.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Sends requests at a fixed rate whatever the answers (open loop), over at most {@link
 * #MAX_IN_FLIGHT} connections like wrk2. Each latency runs from the request's intended start, not
 * its actual send, so a stall or a wait for a connection shows in full (no coordinated omission).
 */
final class OpenLoop {
  /** Requests in flight at most: the load generator's connections. */
  static final int MAX_IN_FLIGHT = 256;

  /** The outcome of one run. */
  record Result(
      int rate,
      Latency latency,
      Map<Integer, Integer> statuses,
      double achievedPerSecond,
      int failed) {}

  /**
   * What to do after a response (e.g. a visibility read); returns a future that ends the request.
   */
  interface Then {
    CompletableFuture<?> after(int index, HttpResponse<String> response, long intendedNanos);
  }

  private OpenLoop() {}

  /** Parks until {@code System.nanoTime()} reaches {@code intended}: the pacing of an open loop. */
  static void waitUntil(long intended) {
    long wait;
    while ((wait = intended - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  static Result run(
      HttpClient http, int rate, Duration duration, IntFunction<HttpRequest> request, Then then) {
    Histogram histogram = Latency.histogram();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger failed = new AtomicInteger();
    Semaphore connections = new Semaphore(MAX_IN_FLIGHT);
    int total = (int) (rate * duration.toMillis() / 1000);
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    CompletableFuture<?>[] all = new CompletableFuture<?>[total];
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long intended = start + i * period;
      waitUntil(intended);
      connections.acquireUninterruptibly();
      int index = i;
      all[i] =
          http.sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString())
              .thenCompose(
                  response -> {
                    synchronized (histogram) {
                      histogram.recordValue(Math.max(1, (System.nanoTime() - intended) / 1000));
                    }
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    return then == null
                        ? CompletableFuture.completedFuture(null)
                        : then.after(index, response, intended);
                  })
              .exceptionally(
                  e -> {
                    failed.incrementAndGet();
                    return null;
                  })
              .whenComplete((done, error) -> connections.release());
    }
    CompletableFuture.allOf(all).orTimeout(300, TimeUnit.SECONDS).exceptionally(e -> null).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(
        rate, Latency.of(histogram), new TreeMap<>(statuses), total / seconds, failed.get());
  }
}
