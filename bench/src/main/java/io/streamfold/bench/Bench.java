package io.streamfold.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./bench.sh [--quick] [--only=latency,saturation,reads,visible,rebuild]}: starts the stack
 * on this machine, runs the scenarios and their raw Kafka baselines on the same broker, and writes
 * {@code bench/results/<timestamp>/report.{json,md}} and {@code latency.svg}. Quick mode (about 3
 * minutes) runs shorter and smaller; the full mode is the one to quote.
 */
public final class Bench {
  /** The benchmarks' key-encryption key: their data are thrown away after each run. */
  static final String KEY_ENCRYPTION_KEY = "YmVuY2htYXJrcy1vbmx5LWtleS1lbmNyeXB0aW9uLWs=";

  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  static final int PARTITIONS = 6;

  private final boolean quick;
  private final Duration step;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<Report.Row> rows = new ArrayList<>();
  private final List<OpenLoop.Result> commandRates = new ArrayList<>();
  private final Map<Integer, Latency> eosRates = new TreeMap<>();
  private Baselines baselines;
  private CommandScenarios commands;
  private Map<String, Object> rawKafka;
  private Latency singleSend;

  private Bench(boolean quick) {
    this.quick = quick;
    this.step = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20);
  }

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    Set<String> only =
        Arrays.stream(args)
            .filter(a -> a.startsWith("--only="))
            .flatMap(a -> Arrays.stream(a.substring("--only=".length()).split(",")))
            .collect(Collectors.toSet());
    Path out =
        Path.of(
            "bench",
            "results",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    new Bench(quick).run(only, out);
    System.out.println(String.join("\n", Files.readAllLines(out.resolve("report.md"))));
    System.exit(0);
  }

  private void run(Set<String> only, Path out) throws Exception {
    results.put("mode", quick ? "quick" : "full");
    results.put("machine", machine());
    try (Stack stack = new Stack(PARTITIONS)) {
      awaitReady(stack);
      baselines = new Baselines(stack.broker.bootstrapServers(), PARTITIONS);
      commands = new CommandScenarios(stack.commandUrl(), stack.projectionUrl(0));
      LOG.info("Opening {} accounts", CommandScenarios.ACCOUNTS);
      commands.openAccounts();
      commands.fixedRate(500, Duration.ofSeconds(quick ? 3 : 10)); // warm-up, not reported
      rawKafka = baselines.produceAndConsume(quick ? 200_000 : 2_000_000);
      singleSend = baselines.singleSend(quick ? 1000 : 5000);
      rawKafka.put("singleSend", singleSend.json());
      results.put("rawKafka", rawKafka);
      if (only.isEmpty() || only.contains("latency")) {
        latencyAtFixedRates();
      }
      if (only.isEmpty() || only.contains("saturation")) {
        saturation();
      }
      if (only.isEmpty() || only.contains("reads")) {
        reads(stack);
      }
      if (only.isEmpty() || only.contains("visible")) {
        commandToVisible();
      }
      if (only.isEmpty() || only.contains("rebuild")) {
        rebuild(stack);
      }
    }
    results.put(
        "summary",
        rows.stream()
            .map(
                r ->
                    Map.of(
                        "figure",
                        r.figure(),
                        "ours",
                        r.ours(),
                        "baseline",
                        r.baseline(),
                        "unit",
                        r.unit(),
                        "baselineIs",
                        r.baselineName(),
                        "ratio",
                        r.ratio()))
            .toList());
    Report.write(out, results, rows, commandRates, eosRates, machine());
    LOG.info("Report written to {}", out.toAbsolutePath());
  }

  private void latencyAtFixedRates() throws Exception {
    List<Map<String, Object>> fixed = new ArrayList<>();
    for (int rate : quick ? new int[] {500, 1000, 2000} : new int[] {500, 1000, 2000, 5000}) {
      LOG.info("Command latency at {}/s", rate);
      OpenLoop.Result result = commands.fixedRate(rate, step);
      commandRates.add(result);
      Latency eos = baselines.eosLatency(rate, step);
      eosRates.put(rate, eos);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("rate", rate);
      json.put("achievedPerSecond", Math.round(result.achievedPerSecond()));
      json.put("latency", result.latency().json());
      json.put("statuses", result.statuses());
      json.put("failed", result.failed());
      json.put("eosPassthroughLatency", eos.json());
      fixed.add(json);
      rows.add(
          new Report.Row(
              "command p50 at " + rate + "/s",
              result.latency().p50(),
              eos.p50(),
              "ms",
              "EOS passthrough p50"));
      rows.add(
          new Report.Row(
              "command p99 at " + rate + "/s",
              result.latency().p99(),
              eos.p99(),
              "ms",
              "EOS passthrough p99"));
    }
    results.put("commandLatencyAtFixedRates", fixed);
  }

  private void saturation() throws Exception {
    LOG.info("Throughput at saturation");
    long eosThroughput = baselines.eosThroughput(quick ? 100_000 : 1_000_000);
    results.put("eosPassthroughRecordsPerSecond", eosThroughput);
    List<Map<String, Object>> saturation = new ArrayList<>();
    for (int clients : quick ? new int[] {16, 64} : new int[] {4, 16, 64, 128}) {
      Map<String, Object> free = commands.saturation(clients, step, false);
      saturation.add(free);
      rows.add(
          new Report.Row(
              "accepted commands/s, " + clients + " clients, no contention",
              number(free, "acceptedPerSecond"),
              eosThroughput,
              "/s",
              "EOS passthrough records/s"));
    }
    Map<String, Object> contended = commands.saturation(32, step, true);
    saturation.add(contended);
    rows.add(
        new Report.Row(
            "accepted commands/s, 32 clients on 4 hot accounts (If-Match)",
            number(contended, "acceptedPerSecond"),
            eosThroughput,
            "/s",
            "EOS passthrough records/s"));
    results.put("throughputAtSaturation", saturation);
  }

  private void reads(Stack stack) throws Exception {
    LOG.info("Reads");
    ReadScenarios reads = new ReadScenarios(stack.projectionUrl(0));
    Map<Boolean, List<String>> owned = reads.ownership(CommandScenarios.ACCOUNTS);
    Map<String, Object> local = reads.closedLoop(owned.get(true), 16, step);
    Map<String, Object> forwarded = reads.closedLoop(owned.get(false), 16, step);
    // one client: what the hop itself adds, where 16 clients measure who wins the two cores
    Map<String, Object> localAlone = reads.closedLoop(owned.get(true), 1, step);
    Map<String, Object> forwardedAlone = reads.closedLoop(owned.get(false), 1, step);
    results.put(
        "reads",
        Map.of(
            "local",
            local,
            "forwarded",
            forwarded,
            "local, one client",
            localAlone,
            "forwarded, one client",
            forwardedAlone));
    rows.add(
        new Report.Row(
            "read p50, forwarded, one client",
            p50(forwardedAlone),
            p50(localAlone),
            "ms",
            "read p50, local, one client"));
    rows.add(
        new Report.Row(
            "read p99, local", p99(local), singleSend.p99(), "ms", "single send p99 (acks=all)"));
    rows.add(
        new Report.Row(
            "read p99, forwarded",
            p99(forwarded),
            singleSend.p99(),
            "ms",
            "single send p99 (acks=all)"));
    rows.add(
        new Report.Row(
            "reads/s, local",
            number(local, "readsPerSecond"),
            number(rawKafka, "consumerRecordsPerSecond"),
            "/s",
            "consumer records/s"));
  }

  private void commandToVisible() throws Exception {
    LOG.info("Command to visible");
    Map<String, Object> visible = commands.commandToVisible(1000, step);
    results.put("commandToVisibleAt1000PerSecond", visible);
    Latency eos =
        eosRates.containsKey(1000) ? eosRates.get(1000) : baselines.eosLatency(1000, step);
    rows.add(
        new Report.Row(
            "command-to-visible p99 at 1000/s",
            p99OfLatency(visible.get("visibleAfterAck")),
            eos.p99(),
            "ms",
            "EOS passthrough p99 at 1000/s"));
  }

  private void rebuild(Stack stack) throws Exception {
    int events = quick ? 100_000 : 2_000_000;
    LOG.info("Projection rebuild of {} events", events);
    Map<String, Object> rebuild =
        new Rebuild(stack.broker.bootstrapServers(), stack.registry.url())
            .run(
                events,
                PARTITIONS,
                (applicationId, prefix) ->
                    stack.startProjection(applicationId, prefix, Rebuild.THREADS)::close);
    results.put("rebuild", rebuild);
    rows.add(
        new Report.Row(
            "projection rebuild events/s",
            number(rebuild, "eventsPerSecond"),
            number(rawKafka, "consumerRecordsPerSecond"),
            "/s",
            "consumer records/s"));
  }

  private static double number(Map<String, Object> json, String key) {
    return ((Number) json.get(key)).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static double p99OfLatency(Object latency) {
    return number((Map<String, Object>) latency, "p99Ms");
  }

  @SuppressWarnings("unchecked")
  private static double p99(Map<String, Object> read) {
    return p99OfLatency(read.get("latency"));
  }

  @SuppressWarnings("unchecked")
  private static double p50(Map<String, Object> read) {
    return number((Map<String, Object>) read.get("latency"), "p50Ms");
  }

  private static void awaitReady(Stack stack) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!stack.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The stack was not ready within 2 minutes");
      }
      Thread.sleep(100);
    }
  }

  private static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + (Runtime.getRuntime().maxMemory() >> 20)
        + " MiB heap for the bench JVM, Java "
        + System.getProperty("java.version")
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch");
  }
}
