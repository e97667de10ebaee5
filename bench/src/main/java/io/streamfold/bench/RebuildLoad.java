package io.streamfold.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The projection rebuild measured as an operator runs one: the stack runs in its own processes
 * ({@code ./run.sh}); this process preloads a log of bank events into a topic prefix of its own,
 * measures a plain consumer over that same log (the raw baseline of the same run), then starts
 * projection-service in a process of its own under a new application id, as a rebuild is started,
 * and times it until its committed position reaches the end of the log. Each repeat rebuilds under
 * another new application id; the report gives every run, and medians.
 *
 * <p>Usage: {@code RebuildLoad <bootstrap servers> <registry url> <out dir> [--events=N]
 * [--repeats=R] [--broker-pid=P]} (2,000,000 events, 3 repeats by default; with the broker's
 * process id, its CPU during each rebuild too); {@code REBUILD_JAVA_OPTS} adds options to the
 * rebuilding JVM (a profiler agent, say), {@code REBUILD_ENV} settings, and {@code
 * REBUILD_VARIANTS="A|B"} settings the runs take turns between (medians per variant too).
 */
public final class RebuildLoad {
  private static final int PARTITIONS = 6;

  private RebuildLoad() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String registryUrl = args[1];
    Path out = Path.of(args[2]);
    int events = CommandLoad.option(args, "--events=", 2_000_000);
    int repeats = CommandLoad.option(args, "--repeats=", 3);
    int brokerPid = CommandLoad.option(args, "--broker-pid=", -1);
    Rebuild rebuild = new Rebuild(bootstrap, registryUrl).withBroker(brokerPid);
    Rebuild.Preloaded log = rebuild.preload(events, PARTITIONS);
    System.out.printf(
        "Preloaded %,d events into %s (%,d/s)%n",
        events, log.topic(), log.preloadEventsPerSecond());
    // settings to compare within one stack and one log, taking turns run by run, e.g.
    // REBUILD_VARIANTS="KAFKA_PRODUCER_BATCH_SIZE=16384|-" ("-": none beyond REBUILD_ENV)
    List<String> variants =
        List.of(System.getenv().getOrDefault("REBUILD_VARIANTS", "-").strip().split("\\|"));
    List<Long> consumerRates = new ArrayList<>();
    List<Map<String, Object>> runs = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      String variant = variants.get(i % variants.size()).strip();
      consumerRates.add(rawConsumerRate(bootstrap, log));
      Map<String, Object> run =
          rebuild.measure(
              log,
              (applicationId, prefix) ->
                  projectionProcess(bootstrap, registryUrl, applicationId, prefix, out, variant),
              log.prefix() + "projections-" + i);
      run.put("consumerRecordsPerSecond", consumerRates.get(i));
      if (variants.size() > 1) {
        run.put("variant", variant);
      }
      System.out.println("Run " + (i + 1) + ": " + run);
      runs.add(run);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("events", events);
    if (variants.size() > 1) {
      report.put("variants", byVariant(runs));
      System.out.println("By variant (medians): " + report.get("variants"));
    }
    report.put("partitions", PARTITIONS);
    report.put("runs", runs);
    double rate = median(runs, "eventsPerSecond");
    double cpu = median(runs, "cpuMicrosPerEvent");
    double brokerCpu = brokerPid > 0 ? median(runs, "brokerCpuMicrosPerEvent") : Double.NaN;
    double consumer = median(consumerRates.stream().map(Long::doubleValue).toList());
    double fold = median(runs, "foldEventsPerSecond");
    double firstCommit = median(runs, "secondsToFirstCommit");
    double secondHalf = median(runs, "secondHalfEventsPerSecond");
    report.put("medianEventsPerSecond", Math.round(rate));
    report.put("medianCpuMicrosPerEvent", Math.round(cpu * 10) / 10.0);
    if (brokerPid > 0) {
      report.put("medianBrokerCpuMicrosPerEvent", Math.round(brokerCpu * 10) / 10.0);
    }
    report.put("medianConsumerRecordsPerSecond", Math.round(consumer));
    report.put("ratioToConsumer", Math.round(rate / consumer * 1000) / 1000.0);
    report.put("medianFoldEventsPerSecond", Math.round(fold));
    report.put("medianSecondsToFirstCommit", firstCommit);
    report.put("medianSecondHalfEventsPerSecond", Math.round(secondHalf));
    String markdown =
        String.format(
            "# Projection rebuild%n%n%,d bank events, %d partitions, %d runs (medians).%n%n"
                + "| figure | value |%n|---|---|%n"
                + "| rebuild, events/s (start of the process to committed end) | %,.0f |%n"
                + "| raw consumer over the same log, records/s | %,.0f |%n"
                + "| ratio | %.3f |%n"
                + "| projection process CPU per event, µs | %.1f |%n"
                + "| of which: the process start to its first commit, s | %.2f |%n"
                + "| the fold alone (a tenth to nine tenths of the log), events/s | %,.0f |%n"
                + "| the second half of the log (compilers mostly done), events/s | %,.0f |%n"
                + "| the broker's CPU per event meanwhile, µs | %.1f |%n",
            events,
            PARTITIONS,
            repeats,
            rate,
            consumer,
            rate / consumer,
            cpu,
            firstCommit,
            fold,
            secondHalf,
            brokerCpu);
    Files.createDirectories(out);
    Files.writeString(out.resolve("rebuild.md"), markdown);
    Files.writeString(out.resolve("rebuild.json"), CommandLoadReport.json(report));
    System.out.println(markdown);
  }

  /** projection-service in a JVM of its own ({@link ProjectionProcess}), rebuilding. */
  private static Rebuild.Running projectionProcess(
      String bootstrap,
      String registryUrl,
      String applicationId,
      String prefix,
      Path out,
      String variant) {
    String extra = System.getenv().getOrDefault("REBUILD_JAVA_OPTS", "").strip();
    Map<String, String> env =
        ProjectionProcess.settings(bootstrap, registryUrl, applicationId, Bench.KEY_ENCRYPTION_KEY);
    env.put("TOPIC_PREFIX", prefix);
    // settings of the projection service to try, e.g. REBUILD_ENV="NUM_STREAM_THREADS=2"
    String settings = System.getenv().getOrDefault("REBUILD_ENV", "").strip() + " " + variant;
    for (String setting : settings.strip().split("\\s+")) {
      if (setting.contains("=")) {
        env.put(
            setting.substring(0, setting.indexOf('=')),
            setting.substring(setting.indexOf('=') + 1));
      }
    }
    ProjectionProcess child =
        ProjectionProcess.start(
            "projection-rebuild",
            env,
            extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")), // e.g. a profiler agent
            out.resolve(applicationId + ".log"));
    return new Rebuild.Running() {
      @Override
      public double cpuSeconds() throws Exception {
        return ProcessCpu.secondsOf(child.pid());
      }

      @Override
      public void close() {
        child.close();
      }
    };
  }

  private static long rawConsumerRate(String bootstrap, Rebuild.Preloaded log) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("enable.auto.commit", false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> all = new ArrayList<>(log.ends().keySet());
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long consumed = 0;
      long start = System.nanoTime();
      while (consumed < log.events()) {
        consumed += consumer.poll(Duration.ofMillis(100)).count();
      }
      return Math.round(consumed / ((System.nanoTime() - start) / 1e9));
    }
  }

  /** The median of {@code key} over the runs' reports. */
  /** Medians of each variant's runs, for settings compared with REBUILD_VARIANTS. */
  private static Map<String, Map<String, Object>> byVariant(List<Map<String, Object>> runs) {
    Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
    for (String variant :
        runs.stream().map(run -> (String) run.get("variant")).distinct().toList()) {
      List<Map<String, Object>> its =
          runs.stream().filter(r -> variant.equals(r.get("variant"))).toList();
      Map<String, Object> medians = new LinkedHashMap<>();
      medians.put("runs", its.size());
      for (String key :
          List.of(
              "eventsPerSecond",
              "foldEventsPerSecond",
              "cpuMicrosPerEvent",
              "brokerCpuMicrosPerEvent")) {
        if (its.stream().allMatch(run -> run.containsKey(key))) {
          medians.put(key, median(its, key));
        }
      }
      variants.put(variant, medians);
    }
    return variants;
  }

  private static double median(List<Map<String, Object>> runs, String key) {
    return median(runs.stream().map(r -> number(r, key)).toList());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double number(Map<String, Object> json, String key) {
    return ((Number) json.get(key)).doubleValue();
  }
}
