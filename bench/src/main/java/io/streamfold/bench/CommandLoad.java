package io.streamfold.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The command path measured from outside, as a user meets it: this process is only the load
 * generator, the stack runs in other processes ({@code ./run.sh}), and the raw Kafka baselines are
 * measured on the same broker in the same run by {@link Baselines}. Clients back to back (the
 * closed loops, the readers) share one thread and its selector ({@link LoopClients}, 15–20 µs of
 * CPU a request); the open loop, which must send at each request's intended time, and the clients
 * that follow a command with its read keep a {@link RawHttp} keep-alive connection per thread
 * (about 40 µs a request back to back).
 *
 * <p>Scenarios: open loop at a fixed rate with latency from each request's intended start (cold,
 * right after the stack is ready, then warm, repeated); closed loop at saturation; contention on
 * hot accounts with {@code If-Match}; command-to-visible (the command, then the projection read
 * with {@code minVersion}). Every command carries an {@code Idempotency-Key}, so the client's one
 * retry on a connection the server closed is safe.
 *
 * <p>Usage: {@code CommandLoad <command url> <projection url> <bootstrap servers> <out dir>
 * [--quick] [--rate=N] [--steady=S [--visible]] [--saturation=S] [--warmup=S] [--reads] [--events]
 * [--transfers] [--forwarded --registry=URL --key-file=F]}: the open-loop rate (500 commands/s by
 * default); {@code --warmup=S} lengthens the 32-client closed loop between the cold and the warm
 * runs to {@code S} seconds (150 by default, 10 with {@code --quick}: with C2, the services' JVM
 * and the broker take about two minutes on two cores to reach their warm speed), and the warm-up of
 * {@code --reads} likewise (half of it commands, then both kinds of read; 10 s with {@code
 * --quick}); {@code --steady} runs only one warm open loop of {@code S} seconds, for a profiler
 * attached meanwhile, after the same warm-up (150 s, 10 with {@code --quick}, or {@code --warmup}),
 * with {@code --visible} each command followed by its {@code minVersion} read as in
 * command-to-visible; {@code --saturation=S} only the 64-client closed loop, three runs of {@code
 * S} seconds after a warm-up; {@code --reads} measures the read side instead (see {@link #reads}),
 * {@code --events} the event APIs (see {@link #events}), {@code --transfers} money transfers (see
 * {@link #transfers}), {@code --forwarded} reads answered here against reads forwarded to another
 * instance (see {@link #forwarded}; the stack's registry and the key-encryption key's file start
 * that instance).
 */
public final class CommandLoad {
  static final int ACCOUNTS = 1_000;
  private static final Duration WARM_UP = Duration.ofSeconds(150);
  private static final String BODY = "{\"amount\":\"1.00\"}";

  private final URI commands;
  private final URI projections;
  private final boolean quick;
  private final int rate;
  private final int steadySeconds;
  private final int saturationSeconds;
  private final int warmupSeconds;
  private final boolean readsOnly;
  private final boolean eventsOnly;
  private final boolean transfersOnly;
  private final boolean forwardedOnly;
  private final boolean steadyVisible;
  private final ProcessCpu cpu;
  private final AtomicLong keys = new AtomicLong();
  private final String runId = Long.toString(System.currentTimeMillis(), 36);

  private CommandLoad(
      URI commands,
      URI projections,
      boolean quick,
      int rate,
      int steadySeconds,
      int saturationSeconds,
      int warmupSeconds,
      boolean readsOnly,
      boolean eventsOnly,
      boolean transfersOnly,
      boolean forwardedOnly,
      boolean steadyVisible,
      ProcessCpu cpu) {
    this.forwardedOnly = forwardedOnly;
    this.steadyVisible = steadyVisible;
    this.cpu = cpu;
    this.eventsOnly = eventsOnly;
    this.transfersOnly = transfersOnly;
    this.saturationSeconds = saturationSeconds;
    this.warmupSeconds = warmupSeconds;
    this.readsOnly = readsOnly;
    this.rate = rate;
    this.steadySeconds = steadySeconds;
    this.commands = commands;
    this.projections = projections;
    this.quick = quick;
  }

  public static void main(String[] args) throws Exception {
    CommandLoad load =
        new CommandLoad(
            URI.create(args[0]),
            URI.create(args[1]),
            List.of(args).contains("--quick"),
            option(args, "--rate=", 500),
            option(args, "--steady=", 0),
            option(args, "--saturation=", 0),
            option(args, "--warmup=", 0),
            List.of(args).contains("--reads"),
            List.of(args).contains("--events"),
            List.of(args).contains("--transfers"),
            List.of(args).contains("--forwarded"),
            List.of(args).contains("--visible"),
            ProcessCpu.parse(
                List.of(args).stream()
                    .filter(arg -> arg.startsWith("--cpu-pids="))
                    .map(arg -> arg.substring("--cpu-pids=".length()))
                    .findFirst()
                    .orElse(null)));
    Path out = Path.of(args[3]);
    Files.createDirectories(out);
    if (load.forwardedOnly) {
      Map<String, Object> report =
          load.forwarded(
              args[2], textOption(args, "--registry="), textOption(args, "--key-file="), out);
      Files.writeString(out.resolve("forwarded.json"), CommandLoadReport.json(report));
      System.out.println(CommandLoadReport.json(report));
      return;
    }
    Map<String, Object> report = load.run(args[2]);
    if (report.containsKey("stream read")) {
      Files.writeString(out.resolve("events.json"), CommandLoadReport.json(report));
      System.out.println(CommandLoadReport.json(report));
      return;
    }
    if (report.containsKey("transfers")) {
      Files.writeString(out.resolve("transfers.json"), CommandLoadReport.json(report));
      System.out.println(CommandLoadReport.json(report));
      return;
    }
    if (report.containsKey("reads")) {
      Files.writeString(out.resolve("reads.json"), CommandLoadReport.json(report));
      System.out.println(CommandLoadReport.json(report));
      return;
    }
    if (report.containsKey("steady") || report.containsKey("saturation")) {
      Files.writeString(
          out.resolve(report.containsKey("steady") ? "steady.json" : "saturation.json"),
          CommandLoadReport.json(report));
      System.out.println(CommandLoadReport.json(report));
      return;
    }
    String markdown = CommandLoadReport.markdown(report);
    Files.writeString(out.resolve("commands.md"), markdown);
    Files.writeString(out.resolve("commands.json"), CommandLoadReport.json(report));
    System.out.println(markdown);
  }

  /** The text of {@code <prefix>TEXT} among the arguments. */
  static String textOption(String[] args, String prefix) {
    return List.of(args).stream()
        .filter(arg -> arg.startsWith(prefix))
        .map(arg -> arg.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Missing " + prefix + "…"));
  }

  /** The integer of {@code <prefix>N} among the arguments, or {@code otherwise}. */
  static int option(String[] args, String prefix, int otherwise) {
    return List.of(args).stream()
        .filter(arg -> arg.startsWith(prefix))
        .map(arg -> Integer.parseInt(arg.substring(prefix.length())))
        .findFirst()
        .orElse(otherwise);
  }

  private Map<String, Object> run(String bootstrap) throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    if (steadySeconds > 0) { // one long warm run at the rate, for a profiler attached meanwhile
      openAccounts();
      Duration warmUp = warmUp(Duration.ofSeconds(10));
      warmUpPaths(warmUp);
      report.put("warm-up s", warmUp.toSeconds());
      Thread.sleep(10_000); // the projections catch up with the warm-up's events meanwhile
      System.out.println("Steady load from now on");
      report.put("rate", rate);
      Map<String, double[]> before = WriterPhases.read(commands);
      report.put("each command followed by its minVersion read", steadyVisible);
      cpu.start();
      report.put(
          "steady", withCpu(openLoop(rate, Duration.ofSeconds(steadySeconds), steadyVisible)));
      report.put(PHASES, WriterPhases.means(before, WriterPhases.read(commands)));
      return report;
    }
    if (saturationSeconds > 0) { // only the closed loop at saturation, three times
      openAccounts();
      closedLoop(64, Duration.ofSeconds(30), false); // warm-up: the JIT, caches, batch sizes
      List<Map<String, Object>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(saturation(Duration.ofSeconds(saturationSeconds)));
      }
      report.put("saturation", runs);
      return report;
    }
    if (readsOnly) {
      return reads();
    }
    if (eventsOnly) {
      return events(bootstrap);
    }
    if (transfersOnly) {
      return transfers();
    }
    Duration step = Duration.ofSeconds(quick ? 10 : 20);
    int repeats = quick ? 1 : 3;
    long started = System.nanoTime();
    openAccounts();
    report.put("accounts opened in s", (System.nanoTime() - started) / 1e9);
    report.put("rate", rate);
    report.put("cold", openLoop(rate, step, false));
    Baselines baselines = new Baselines(bootstrap, 1);
    {
      // warm-up: C2 takes about two minutes on two cores to compile what a command runs through
      Duration warmUp = warmUp(step);
      warmUpPaths(warmUp);
      report.put("warm-up s", warmUp.toSeconds());
      List<Map<String, Object>> warm = new ArrayList<>();
      for (int i = 0; i < repeats; i++) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("transaction", baselines.singleTransaction(quick ? 500 : 1_000).json());
        run.put("send", baselines.singleSend(quick ? 500 : 1_000).json());
        cpu.start();
        run.put("commands", withCpu(openLoop(rate, step, false)));
        warm.add(run);
      }
      report.put("warm", warm);
      // at the warm runs' rate and state, as the goal reads; and again right after the 64 clients
      // and the hot accounts, which leave the projections and the broker something to catch up on
      report.put(VISIBLE, openLoop(rate, step, true));
      report.put("saturation 64 clients", saturation(step));
      report.put("contention 32 clients on 4 accounts", closedLoop(32, step, true));
      report.put(VISIBLE_AFTER_SATURATION, openLoop(rate, step, true));
    }
    return report;
  }

  static final String VISIBLE = "command-to-visible";
  static final String PHASES = "writer phases, mean ms (queued: per command; the rest: per round)";
  static final String VISIBLE_AFTER_SATURATION = "command-to-visible after the saturation steps";

  /**
   * 32 clients back to back for {@code warmUp}, the last third of it each command followed by its
   * {@code minVersion} read: C2 compiles every path the steps measure (without the reads, the first
   * command-to-visible step measured the read path still compiling: its read alone p99 62.7 ms
   * against 14.3 in the same step a minute later, run 20261204-231339).
   */
  private void warmUpPaths(Duration warmUp) throws InterruptedException, IOException {
    Duration visible = warmUp.dividedBy(3);
    closedLoop(32, warmUp.minus(visible), false);
    closedLoop(32, visible, false, true);
  }

  /** {@code --warmup=S}, else 150 s, or {@code whenQuick} with {@code --quick}. */
  private Duration warmUp(Duration whenQuick) {
    return warmupSeconds > 0 ? Duration.ofSeconds(warmupSeconds) : quick ? whenQuick : WARM_UP;
  }

  /**
   * The read side: 32 clients back to back on a trivial endpoint of the projection service ({@code
   * /health/live}, the ceiling of this client and server) and on single-key reads, in turns (median
   * of 3); the same while {@code rate} commands/s run; command-to-visible at that rate while 32
   * readers run, with the {@code minVersion} read's own latency.
   */
  private Map<String, Object> reads() throws Exception {
    Duration step = Duration.ofSeconds(quick ? 5 : 10);
    openAccounts();
    // warm-up of both services (C2 included): half of it commands, then both kinds of read
    Duration warmUp = warmUp(step.multipliedBy(2));
    warmUpPaths(warmUp.dividedBy(2));
    closedReads(32, warmUp.dividedBy(4), random -> "/health/live");
    closedReads(32, warmUp.dividedBy(4), CommandLoad::randomAccountPath);
    Thread.sleep(5_000);
    Map<String, Object> report = new LinkedHashMap<>();
    List<Map<String, Object>> quiet = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("trivial", closedReads(32, step, random -> "/health/live"));
      run.put("reads", closedReads(32, step, CommandLoad::randomAccountPath));
      quiet.add(run);
    }
    report.put("reads", quiet);
    // each step's second load on a thread of its own, its result put in the report after it ends
    Map<String, Object> loaded = new LinkedHashMap<>();
    CompletableFuture<Map<String, Object>> commandsRunning =
        alongside(() -> openLoop(rate, step.multipliedBy(2), false));
    loaded.put("trivial", closedReads(32, step.dividedBy(2), random -> "/health/live"));
    loaded.put("reads", closedReads(32, step.dividedBy(2), CommandLoad::randomAccountPath));
    loaded.put("commands", commandsRunning.get());
    report.put("with " + rate + " commands/s", loaded);
    Map<String, Object> visible = new LinkedHashMap<>();
    CompletableFuture<Map<String, Object>> readers =
        alongside(() -> closedReads(32, step.plusSeconds(1), CommandLoad::randomAccountPath));
    visible.put("command-to-visible", openLoop(rate, step, true));
    visible.put("readers", readers.get());
    report.put("command-to-visible with 32 readers", visible);
    return report;
  }

  /**
   * Reads the stack's projection service answers from its own stores against reads it forwards to
   * the owner of the key, a second projection-service process of the same application started here
   * ({@link ProjectionProcess}) before any account exists, so that the two share the partitions
   * from the start. All of them are sent to the stack's instance, by the same selector clients as
   * the other reads; the accounts are split by the instance that served each ({@code
   * X-Streamfold-Served-By}). One client back to back (what the hop adds), then 16, local and
   * forwarded in turns, three times (medians), after a warm-up of both kinds.
   */
  private Map<String, Object> forwarded(
      String bootstrap, String registryUrl, String keyFile, Path out) throws Exception {
    Duration step = Duration.ofSeconds(quick ? 5 : 10);
    Map<String, String> env =
        ProjectionProcess.settings(
            bootstrap,
            registryUrl,
            // the stack's own, as the launcher names it
            System.getenv().getOrDefault("PROJECTION_APPLICATION_ID", "streamfold-projections-v5"),
            // the launcher's file in the stack's data folder, unless the environment set the key
            Files.exists(Path.of(keyFile))
                ? Files.readString(Path.of(keyFile)).strip()
                : System.getenv("KEY_ENCRYPTION_KEY"));
    try (ProjectionProcess second =
        ProjectionProcess.start(
            "projection-second", env, List.of(), out.resolve("projection-second.log"))) {
      awaitReady(URI.create(second.url()));
      openAccounts();
      Map<Boolean, List<String>> split = servedHereOrForwarded();
      List<String> local = split.get(true);
      List<String> remote = split.get(false);
      Duration warmUp = warmUp(step.multipliedBy(6));
      closedReads(32, warmUp.dividedBy(2), random -> accountPath(local, random));
      closedReads(32, warmUp.dividedBy(2), random -> accountPath(remote, random));
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("accounts served here", local.size());
      report.put("accounts forwarded", remote.size());
      for (int clients : new int[] {1, 16}) {
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Map<String, Object> round = new LinkedHashMap<>();
          round.put("local", closedReads(clients, step, random -> accountPath(local, random)));
          round.put("forwarded", closedReads(clients, step, random -> accountPath(remote, random)));
          rounds.add(round);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rounds", rounds);
        for (String kind : List.of("local", "forwarded")) {
          summary.put(kind + " p50 ms, median", medianOf(rounds, kind, "p50Ms"));
          summary.put(kind + " p99 ms, median", medianOf(rounds, kind, "p99Ms"));
          summary.put(kind + " answered/s, median", medianOf(rounds, kind, "answered/s"));
        }
        summary.put(
            "forwarded p50 above local, ms",
            medianOf(rounds, "forwarded", "p50Ms") - medianOf(rounds, "local", "p50Ms"));
        report.put(clients + (clients == 1 ? " client" : " clients"), summary);
      }
      report.put("forwarded reads", true);
      return report;
    }
  }

  private static String accountPath(List<String> accounts, java.util.Random random) {
    return "/api/v1/accounts/" + accounts.get(random.nextInt(accounts.size()));
  }

  @SuppressWarnings("unchecked")
  private static double medianOf(List<Map<String, Object>> rounds, String kind, String key) {
    List<Double> values =
        rounds.stream()
            .map(round -> ((Number) ((Map<String, Object>) round.get(kind)).get(key)).doubleValue())
            .sorted()
            .toList();
    return values.get(values.size() / 2);
  }

  /** Waits until {@code service} says it is ready. */
  private static void awaitReady(URI service) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (RawHttp http = new RawHttp(service.getHost(), service.getPort())) {
      while (true) {
        try {
          if (http.get("/health/ready").status() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(service + " was not ready within 120 s");
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * The accounts the stack's projection service answers from its own stores (true) and those it
   * forwards (false), once every account is readable and both lists have some.
   */
  private Map<Boolean, List<String>> servedHereOrForwarded()
      throws IOException, InterruptedException {
    String self = projections.getHost() + ":" + projections.getPort();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (RawHttp http = new RawHttp(projections.getHost(), projections.getPort())) {
      while (true) {
        Map<Boolean, List<String>> split = new LinkedHashMap<>();
        split.put(true, new ArrayList<>());
        split.put(false, new ArrayList<>());
        boolean all = true;
        for (int i = 0; i < ACCOUNTS && all; i++) {
          RawHttp.Response r = http.get("/api/v1/accounts/" + account(i));
          all = r.status() == 200 && r.servedBy() != null;
          if (all) {
            split.get(r.servedBy().equals(self)).add(account(i));
          }
        }
        if (all && !split.get(true).isEmpty() && !split.get(false).isEmpty()) {
          return split;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "The two projection instances did not share the accounts within 120 s");
        }
        Thread.sleep(500);
      }
    }
  }

  /** Runs {@code load} on a thread of its own. */
  private static CompletableFuture<Map<String, Object>> alongside(
      Callable<Map<String, Object>> load) {
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(load.call());
              } catch (Exception e) {
                result.completeExceptionally(e);
              }
            },
            "alongside");
    thread.start();
    return result;
  }

  /**
   * The event APIs ({@link EventLoad}): a stream read of 1,000 events; subscriptions from the start
   * of the log, one (three times, each beside a plain consumer) and 100 at once; commands at the
   * rate without and with 100 live subscribers.
   */
  private Map<String, Object> events(String bootstrap) throws Exception {
    Duration step = Duration.ofSeconds(quick ? 10 : 20);
    openAccounts();
    closedLoop(32, step, false); // warm-up, and a log to read
    EventLoad events = new EventLoad(commands, projections, bootstrap, "accounts.events");
    Map<String, Object> report = new LinkedHashMap<>();
    System.out.println("Stream read");
    report.put("stream read", events.streamRead("bench-stream-" + runId, quick ? 50 : 200));
    List<Map<String, Object>> raw = new ArrayList<>();
    List<Map<String, Object>> one = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      raw.add(events.rawConsumer());
      System.out.println("Raw consumer: " + raw.get(i));
      one.add(events.subscribers(1, (Long) raw.get(0).get("records")));
      System.out.println("One subscriber: " + one.get(i));
    }
    report.put("raw consumer", raw);
    report.put("one subscriber", one);
    report.put("100 subscribers", events.subscribers(100, (Long) raw.get(0).get("records")));
    System.out.println("100 subscribers: " + report.get("100 subscribers"));
    report.put("commands", openLoop(rate, step, false));
    report.put(
        "commands with 100 live subscribers",
        events.withLiveSubscribers(100, () -> openLoop(rate, step, false)));
    return report;
  }

  /**
   * Money transfers ({@link TransferLoad}) beside single commands, in turns: deposits at the rate
   * and with 64 clients, then transfers at a fifth of the rate followed to COMPLETED, then 64
   * clients each requesting a transfer and following it to its end (three runs unless quick).
   */
  private Map<String, Object> transfers() throws Exception {
    Duration step = Duration.ofSeconds(quick ? 10 : 20);
    openAccounts();
    closedLoop(32, step, false); // warm-up of the accounts' path
    TransferLoad transfers = new TransferLoad(commands, projections);
    transfers.closedLoop(32, step); // warm-up of the transfers' path
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("transfers", "request to COMPLETED on the projection service, latency in ms");
    report.put("commands at " + rate + "/s", openLoop(rate, step, false));
    report.put("commands, 64 clients", closedLoop(64, step, false));
    int transferRate = Math.max(1, rate / 5);
    Map<String, double[]> before = WriterPhases.read(commands);
    report.put("transfers at " + transferRate + "/s", transfers.openLoop(transferRate, step));
    report.put(
        "writer phases during them, mean ms (queued, inbox: per command or message; the rest: per"
            + " round)",
        WriterPhases.means(before, WriterPhases.read(commands)));
    report.put("transfers, 64 clients", transfers.closedLoops(quick ? 1 : 3, 64, step));
    return report;
  }

  private static String randomAccountPath(java.util.Random random) {
    return "/api/v1/accounts/" + account(random.nextInt(ACCOUNTS));
  }

  /** {@code clients} clients reading the projection service back to back, on one thread. */
  private Map<String, Object> closedReads(
      int clients, Duration duration, java.util.function.Function<java.util.Random, String> path)
      throws IOException {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Recorder latencies = new Recorder(3);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    var random = new java.util.Random();
    LoopClients.run(
        projections,
        clients,
        client ->
            (previous, nanos) -> {
              if (previous != null) {
                latencies.recordValue(Math.max(1, nanos / 1_000));
                statuses.merge(previous.status(), 1, Integer::sum);
              }
              return System.nanoTime() >= end
                  ? null
                  : new LoopClients.Request("GET", path.apply(random), null);
            });
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> result = summary(latencies.getIntervalHistogram());
    result.put("clients", clients);
    result.put(
        "answered/s", statuses.values().stream().mapToInt(Integer::intValue).sum() / seconds);
    result.put("statuses", new java.util.TreeMap<>(statuses));
    return result;
  }

  private String key() {
    return runId + "-" + keys.incrementAndGet();
  }

  private static String account(int i) {
    return "bench-" + i;
  }

  void openAccounts() throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    parallel(
        32,
        http -> {
          for (int i = next.getAndIncrement(); i < ACCOUNTS; i = next.getAndIncrement()) {
            RawHttp.Response r =
                http.post(
                    "/api/v1/accounts/" + account(i) + "/open",
                    "{\"owner\":\"Bench\",\"currency\":\"EUR\",\"initialDeposit\":\"1000000.00\"}",
                    "Idempotency-Key",
                    "open-" + account(i));
            if (r.status() != 201 && r.status() != 409) {
              throw new IOException("Open answered " + r.status() + ": " + r.body());
            }
          }
        },
        commands);
  }

  /**
   * Deposits to random accounts at {@code rate} for {@code duration}, each latency from its
   * intended start; with {@code visible}, each accepted command is followed by the projection read
   * that waits for its version, and the latency runs to that answer.
   */
  private Map<String, Object> openLoop(int rate, Duration duration, boolean visible)
      throws InterruptedException {
    int total = (int) (rate * duration.toSeconds());
    long period = TimeUnit.SECONDS.toNanos(1) / rate;
    Recorder latencies = new Recorder(3);
    Recorder readLatencies = new Recorder(3);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    int threads = 128;
    RawHttp[] reads = new RawHttp[threads];
    AtomicInteger thread = new AtomicInteger();
    parallel(
        threads,
        http -> {
          RawHttp read = new RawHttp(projections.getHost(), projections.getPort());
          reads[thread.getAndIncrement()] = read;
          for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            long intended = start + i * period;
            OpenLoop.waitUntil(intended);
            String id = account(java.util.concurrent.ThreadLocalRandom.current().nextInt(ACCOUNTS));
            RawHttp.Response r =
                http.post("/api/v1/accounts/" + id + "/deposit", BODY, "Idempotency-Key", key());
            if (visible && r.status() == 200) {
              long asked = System.nanoTime();
              r = readBack(read, id, r);
              readLatencies.recordValue(Math.max(1, (System.nanoTime() - asked) / 1_000));
            }
            latencies.recordValue(Math.max(1, (System.nanoTime() - intended) / 1_000));
            statuses.merge(r.status(), 1, Integer::sum);
          }
        },
        commands);
    for (RawHttp read : reads) {
      if (read != null) {
        read.close();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> result = summary(latencies.getIntervalHistogram());
    result.put("target/s", rate);
    result.put("achieved/s", total / seconds);
    if (visible) {
      result.put("minVersion read alone", summary(readLatencies.getIntervalHistogram()));
    }
    result.put("statuses", new java.util.TreeMap<>(statuses));
    return result;
  }

  /** The projection read that waits for the version an accepted command answered with. */
  private static RawHttp.Response readBack(RawHttp read, String id, RawHttp.Response accepted)
      throws IOException {
    String version = accepted.etag().replace("\"", "");
    return read.get("/api/v1/accounts/" + id + "?minVersion=" + version + "&waitMs=5000");
  }

  /**
   * {@code clients} threads sending back to back for {@code duration}; with {@code contended}, all
   * on 4 accounts with {@code If-Match} from the last answer seen (412s counted, not retried).
   */
  private Map<String, Object> closedLoop(int clients, Duration duration, boolean contended)
      throws InterruptedException, IOException {
    return closedLoop(clients, duration, contended, false);
  }

  /**
   * As {@link #closedLoop(int, Duration, boolean)}; with {@code visible}, each accepted command is
   * followed by the projection read that waits for its version, as in command-to-visible.
   */
  private Map<String, Object> closedLoop(
      int clients, Duration duration, boolean contended, boolean visible)
      throws InterruptedException, IOException {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Recorder latencies = new Recorder(3);
    long end = System.nanoTime() + duration.toNanos();
    Map<String, String> etags = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    if (visible) {
      parallel(
          clients,
          http -> {
            var random = java.util.concurrent.ThreadLocalRandom.current();
            try (RawHttp read = new RawHttp(projections.getHost(), projections.getPort())) {
              while (System.nanoTime() < end) {
                String id = account(pick(random, contended));
                long sent = System.nanoTime();
                RawHttp.Response r =
                    http.post(deposit(id), BODY, depositHeaders(id, contended, etags));
                if (r.status() == 200) {
                  readBack(read, id, r);
                }
                latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
                counted(r, id, contended, statuses, etags);
              }
            }
          },
          commands);
    } else {
      // on one thread, answers taken as they come: a thread per client took a tenth of the CPU
      // at saturation, CPU the stack it measures shares (bench/profiles/2026-12-05-loop-clients)
      var random = new java.util.Random();
      LoopClients.run(
          commands,
          clients,
          client ->
              new LoopClients.Conversation() {
                private String id; // the account of the request in flight

                @Override
                public LoopClients.Request next(RawHttp.Response previous, long nanos) {
                  if (previous != null) {
                    latencies.recordValue(Math.max(1, nanos / 1_000));
                    counted(previous, id, contended, statuses, etags);
                  }
                  if (System.nanoTime() >= end) {
                    return null;
                  }
                  id = account(pick(random, contended));
                  return new LoopClients.Request(
                      "POST", deposit(id), BODY, depositHeaders(id, contended, etags));
                }
              });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> result = summary(latencies.getIntervalHistogram());
    result.put("clients", clients);
    result.put("accepted/s", statuses.getOrDefault(200, 0) / seconds);
    if (contended) {
      result.put("412/s", statuses.getOrDefault(412, 0) / seconds);
    }
    result.put("statuses", new java.util.TreeMap<>(statuses));
    return result;
  }

  /** An account: one of all, or of the 4 hot ones. */
  private static int pick(java.util.Random random, boolean contended) {
    return contended ? random.nextInt(4) : random.nextInt(ACCOUNTS);
  }

  private static String deposit(String id) {
    return "/api/v1/accounts/" + id + "/deposit";
  }

  /** A deposit's headers: its key, and on a hot account the version last seen as its If-Match. */
  private String[] depositHeaders(String id, boolean contended, Map<String, String> etags) {
    return contended
        ? new String[] {"Idempotency-Key", key(), "If-Match", etags.getOrDefault(id, "\"1\"")}
        : new String[] {"Idempotency-Key", key()};
  }

  /** Counts an answer and, on a hot account, remembers the version it reports. */
  private static void counted(
      RawHttp.Response r,
      String id,
      boolean contended,
      Map<Integer, Integer> statuses,
      Map<String, String> etags) {
    statuses.merge(r.status(), 1, Integer::sum);
    if (contended) {
      if (r.etag() != null) {
        etags.put(id, r.etag());
      } else if (r.status() == 412) {
        String current = r.body().replaceAll(".*\"currentVersion\":(\\d+).*", "$1");
        etags.put(id, "\"" + current + "\"");
      }
    }
  }

  /** 64 clients back to back for {@code duration}, with the CPU and the writer's phases. */
  private Map<String, Object> saturation(Duration duration) throws Exception {
    Map<String, double[]> before = WriterPhases.read(commands);
    cpu.start();
    Map<String, Object> result = withCpu(closedLoop(64, duration, false));
    result.put(PHASES, WriterPhases.means(before, WriterPhases.read(commands)));
    return result;
  }

  /** {@code result} with the CPU each process of the stack used per command since it started. */
  private Map<String, Object> withCpu(Map<String, Object> result) {
    Map<String, Long> per = cpu.microsPerRequest(((Number) result.get("count")).longValue());
    if (!per.isEmpty()) {
      result.put("CPU µs per command", per);
    }
    return result;
  }

  static Map<String, Object> summary(Histogram micros) {
    return Latency.of(micros).json();
  }

  /** One load-generating task on its own connection. */
  interface Client {
    void run(RawHttp http) throws IOException;
  }

  static void parallel(int threads, Client client, URI target) throws InterruptedException {
    List<Thread> running = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                try (RawHttp http = new RawHttp(target.getHost(), target.getPort())) {
                  client.run(http);
                } catch (IOException | RuntimeException e) {
                  errors.add(e);
                }
              },
              "load-" + t);
      thread.start();
      running.add(thread);
    }
    for (Thread thread : running) {
      thread.join();
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(errors.size() + " clients failed", errors.get(0));
    }
  }
}
