package io.streamfold.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Recorder;

/**
 * Money transfers measured from outside, beside the single-command figures of the same run: each
 * transfer is requested on the command service (202), then followed on the projection service until
 * it is {@code COMPLETED} ({@code GET /api/v1/transfers/{id}?minVersion=4}: requested, checked,
 * debited, completed), and its latency runs from the request's intended start to that answer. A
 * transfer is four transactions of its own and three of the accounts'.
 */
final class TransferLoad {
  private final URI commands;
  private final URI projections;
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private final AtomicInteger ids = new AtomicInteger();

  TransferLoad(URI commands, URI projections) {
    this.commands = commands;
    this.projections = projections;
  }

  /** Transfers at {@code rate} per second for {@code duration}, open loop. */
  Map<String, Object> openLoop(int rate, Duration duration) throws InterruptedException {
    int total = (int) (rate * duration.toSeconds());
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    Recorder latencies = new Recorder(3);
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    CommandLoad.parallel(
        64,
        http -> {
          try (RawHttp read = new RawHttp(projections.getHost(), projections.getPort())) {
            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
              long intended = start + i * period;
              OpenLoop.waitUntil(intended);
              outcomes.merge(transfer(http, read), 1, Integer::sum);
              latencies.recordValue(Math.max(1, (System.nanoTime() - intended) / 1_000));
            }
          }
        },
        commands);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> result = CommandLoad.summary(latencies.getIntervalHistogram());
    result.put("target/s", rate);
    result.put("achieved/s", total / seconds);
    result.put("outcomes", new java.util.TreeMap<>(outcomes));
    return result;
  }

  /** {@code clients} each requesting a transfer and following it to its end, back to back. */
  Map<String, Object> closedLoop(int clients, Duration duration) throws InterruptedException {
    Recorder latencies = new Recorder(3);
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    CommandLoad.parallel(
        clients,
        http -> {
          try (RawHttp read = new RawHttp(projections.getHost(), projections.getPort())) {
            while (System.nanoTime() < end) {
              long sent = System.nanoTime();
              outcomes.merge(transfer(http, read), 1, Integer::sum);
              latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
            }
          }
        },
        commands);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> result = CommandLoad.summary(latencies.getIntervalHistogram());
    result.put("clients", clients);
    result.put("completed/s", outcomes.getOrDefault("COMPLETED", 0) / seconds);
    result.put("outcomes", new java.util.TreeMap<>(outcomes));
    return result;
  }

  /**
   * Requests one transfer between two random accounts and waits for its end; "COMPLETED", or what
   * went otherwise ("request 503", "read 503", "FAILED", …).
   */
  private String transfer(RawHttp http, RawHttp read) throws java.io.IOException {
    String id = "bench-transfer-" + runId + "-" + ids.incrementAndGet();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int from = random.nextInt(CommandLoad.ACCOUNTS);
    int to = (from + 1 + random.nextInt(CommandLoad.ACCOUNTS - 1)) % CommandLoad.ACCOUNTS;
    RawHttp.Response requested =
        http.post(
            "/api/v1/transfers/" + id + "/request",
            "{\"from\":\"bench-"
                + from
                + "\",\"to\":\"bench-"
                + to
                + "\",\"amount\":\"1.00\",\"currency\":\"EUR\"}",
            "Idempotency-Key",
            id);
    if (requested.status() != 202) {
      return "request " + requested.status();
    }
    RawHttp.Response done = read.get("/api/v1/transfers/" + id + "?minVersion=4&waitMs=10000");
    if (done.status() != 200) {
      return "read " + done.status();
    }
    String status = done.body().replaceAll(".*\"status\":\"([A-Z]+)\".*", "$1");
    return status.length() > 20 ? "unreadable" : status;
  }

  /** The medians' inputs: {@code runs} closed loops. */
  List<Map<String, Object>> closedLoops(int runs, int clients, Duration duration)
      throws InterruptedException {
    List<Map<String, Object>> all = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      all.add(closedLoop(clients, duration));
      System.out.println("Transfers, " + clients + " clients: " + all.get(i));
    }
    return all;
  }
}
