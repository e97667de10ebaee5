package io.streamfold.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.launcher.cli.Streamfold.Refused;
import io.streamfold.service.http.Json;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code streamfold projection rebuild|wait|compare|switch}: the blue-green rebuild of the
 * projections. {@code rebuild} starts projection-service under a new application id (a process of
 * its own, from this installation), which folds the event log from its start into fresh stores, and
 * shows its progress until it has caught up; {@code compare} checks that two deployments hold equal
 * stores (the store digests of every partition, once both have caught up); {@code switch} hands the
 * readers of the old deployment to the new one: the old instances stop being ready (load balancers
 * drop them) and redirect every read to the new deployment. A deployment is one URL or several,
 * comma-separated (every instance, for the digests).
 */
final class Projections {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Streamfold cli;
  private final String base;
  private final Args args;

  Projections(Streamfold cli, String base, Args args) {
    this.cli = cli;
    this.base = base;
    this.args = args;
  }

  int run() throws IOException, InterruptedException {
    String action = args.positional().size() > 1 ? args.positional().get(1) : "";
    return switch (action) {
      case "rebuild" -> rebuild();
      case "wait" -> {
        if (args.positional().size() != 3) {
          throw new IllegalArgumentException("Usage: streamfold projection wait <url>[,<url>...]");
        }
        awaitCaughtUp(urls(args.positional().get(2)), null);
        yield 0;
      }
      case "compare" -> compare(urls(base), urls(required("with")), true);
      case "switch" -> switchTo();
      default ->
          throw new IllegalArgumentException(
              "Usage: streamfold projection rebuild --app-id <new> | wait <url> | compare --with"
                  + " <url> | switch --to <url>");
    };
  }

  /**
   * The key-encryption key the services use: the environment's {@code KEY_ENCRYPTION_KEY}, else the
   * file {@code --key-file} names, else the one {@code ./run.sh} keeps in {@code
   * .data/key-encryption-key}. Never a new one: a rebuild with another key could not open a name.
   */
  private String keyEncryptionKey(Map<String, String> env) throws IOException {
    String given = env.get("KEY_ENCRYPTION_KEY");
    if (given != null && !given.isBlank()) {
      return given;
    }
    Path file = Path.of(args.option("key-file", ".data/key-encryption-key"));
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "No key-encryption key: set KEY_ENCRYPTION_KEY (as the services have it) or give"
              + " --key-file; "
              + file
              + " does not exist");
    }
    return Files.readString(file).strip();
  }

  /** Starts projection-service under a new application id, then waits until it has caught up. */
  private int rebuild() throws IOException, InterruptedException {
    String appId = required("app-id");
    if (!appId.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException("--app-id: letters, digits, '.', '_' and '-' only");
    }
    int port = (int) args.number("port", 8091);
    Path state = Path.of(args.option("state-dir", ".data/projections-" + appId)).toAbsolutePath();
    Files.createDirectories(state);
    Path log = state.resolve("projection-service.log");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    env.putIfAbsent("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8082/apis/ccompat/v7");
    // the options win over the environment (whose other settings, KAFKA_* included, pass through)
    env.put(
        "KAFKA_BOOTSTRAP_SERVERS",
        args.option("bootstrap-servers", env.get("KAFKA_BOOTSTRAP_SERVERS")));
    env.put("SCHEMA_REGISTRY_URL", args.option("registry", env.get("SCHEMA_REGISTRY_URL")));
    env.put("TOPIC_PREFIX", args.option("topic-prefix", env.getOrDefault("TOPIC_PREFIX", "")));
    env.putIfAbsent("HTTP_HOST", "127.0.0.1");
    env.put("KEY_ENCRYPTION_KEY", keyEncryptionKey(env));
    env.put("APPLICATION_ID", appId);
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", args.option("advertise", "127.0.0.1:" + port));
    env.put("STATE_DIR", state.resolve("state").toString());
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid"); // its own session: a Ctrl-C of this command leaves it running
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseG1GC", "-Xmx1g")); // and C2, as ./run.sh: a rebuild is long
    command.addAll(List.of("-cp", cli.classpath(), "io.streamfold.projection.Main"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    String url = "http://" + env.get("HTTP_HOST").replace("0.0.0.0", "127.0.0.1") + ":" + port;
    Files.writeString(state.resolve("pid"), Long.toString(process.pid()));
    cli.out()
        .println(
            "Started projection-service "
                + appId
                + " (pid "
                + process.pid()
                + ") at "
                + url
                + "; log "
                + log);
    if (args.flag("detach")) {
      return 0;
    }
    awaitCaughtUp(List.of(url), process);
    cli.out()
        .println(
            "Caught up. Next: ./streamfold projection compare --with "
                + url
                + ", then ./streamfold projection switch --to "
                + url);
    return 0;
  }

  /**
   * Whether an instance's status says it runs as it will serve: Kafka Streams RUNNING and, for an
   * instance that started far behind, its catch-up over (it ran extra stream threads until it had
   * caught up, and is done once it runs again without them).
   */
  static boolean settled(JsonNode status) {
    return "RUNNING".equals(status.path("state").asText())
        && (!status.has("catchUp") || status.path("catchUp").path("caughtUpAt").isTextual());
  }

  /** Shows the progress of {@code urls} until every one runs with no lag. */
  private void awaitCaughtUp(List<String> urls, Process process)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    long maxLag = maxLag();
    long most = 0;
    Progress progress = null;
    while (true) {
      long lag = 0;
      boolean running = true;
      for (String url : urls) {
        try {
          JsonNode status = cli.get(url, "/api/v1/status");
          running &= settled(status);
          long total = status.path("lag").path("total").asLong(-1);
          running &= total >= 0;
          lag += Math.max(total, 0);
        } catch (IOException | Refused starting) {
          running = false;
          if (process != null && !process.isAlive()) {
            throw new Refused(
                "projection-service exited with "
                    + process.exitValue()
                    + " before it answered; see its log (projection-service.log in its state"
                    + " directory)");
          }
          if (System.nanoTime() > deadline) {
            throw new Refused(url + " did not answer within " + START_TIMEOUT.toMinutes() + " min");
          }
        }
      }
      if (running) {
        most = Math.max(most, lag);
        if (progress == null) {
          progress = new Progress(cli.err(), "folding the log", most);
        }
        progress.show(most - lag);
        if (lag <= maxLag) {
          progress.done();
          return;
        }
      }
      Thread.sleep(500);
    }
  }

  /**
   * Compares the store digests of two deployments, once both have caught up; tries again while they
   * differ (the log may move between the two readings), up to {@code --attempts}.
   */
  private int compare(List<String> one, List<String> other, boolean print)
      throws IOException, InterruptedException {
    int attempts = (int) args.number("attempts", 10);
    Map<String, String[]> differences = Map.of();
    int compared = 0;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      awaitCaughtUp(concat(one, other), null);
      Map<String, String> left = digests(one);
      Map<String, String> right = digests(other);
      differences = new TreeMap<>();
      for (String key : union(left, right)) {
        String a = left.getOrDefault(key, "(missing)");
        String b = right.getOrDefault(key, "(missing)");
        if (!a.equals(b)) {
          differences.put(key, new String[] {a, b});
        }
      }
      compared = left.size();
      if (differences.isEmpty()) {
        break;
      }
      Thread.sleep(1_000);
    }
    if (print && args.flag("json")) {
      Map<String, Object> body = new HashMap<>();
      body.put("equal", differences.isEmpty());
      body.put("storePartitions", compared);
      Map<String, List<String>> diff = new TreeMap<>();
      differences.forEach((key, pair) -> diff.put(key, Arrays.asList(pair)));
      body.put("differences", diff);
      cli.out().println(Json.mapper().writeValueAsString(body));
    } else if (differences.isEmpty()) {
      cli.out().println("Equal: " + compared + " store partitions have the same digests");
    } else {
      List<List<String>> rows = new ArrayList<>();
      differences.forEach((key, pair) -> rows.add(List.of(key, pair[0], pair[1])));
      Table.print(
          cli.out(),
          List.of("STORE/PARTITION", String.join(",", one), String.join(",", other)),
          rows);
      cli.out().println("Different: " + differences.size() + " store partitions");
    }
    return differences.isEmpty() ? 0 : 1;
  }

  /** Hands the readers of the {@code --projections} deployment to the {@code --to} one. */
  private int switchTo() throws IOException, InterruptedException {
    List<String> from = urls(base);
    List<String> to = urls(required("to"));
    String successor = args.option("successor", to.get(0));
    if (!args.flag("force") && compare(from, to, false) != 0) {
      throw new Refused(
          "The two deployments hold different stores (see streamfold projection compare): not"
              + " switching; --force switches anyway");
    }
    for (String url : to) {
      cli.send(Streamfold.request(url + "/api/v1/admin/retire").DELETE().build(), 200); // serves
    }
    for (String url : from) {
      cli.send(
          Streamfold.request(url + "/api/v1/admin/retire")
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      Json.mapper().writeValueAsString(Map.of("successor", successor))))
              .build(),
          200);
    }
    cli.out()
        .println(
            "Switched: "
                + String.join(",", from)
                + " now redirect readers to "
                + successor
                + " and are not ready (load balancers drop them). Stop them, then delete their"
                + " application's internal topics (README, Operating it).");
    return 0;
  }

  private Map<String, String> digests(List<String> urls) throws IOException, InterruptedException {
    Map<String, String> merged = new TreeMap<>();
    for (String url : urls) {
      JsonNode stores = cli.get(url, "/api/v1/status/digests").get("stores");
      stores
          .fields()
          .forEachRemaining(
              store ->
                  store
                      .getValue()
                      .fields()
                      .forEachRemaining(
                          partition ->
                              merged.put(
                                  store.getKey() + "/" + partition.getKey(),
                                  partition.getValue().asText())));
    }
    return merged;
  }

  /** {@code --max-lag}: records behind that still count as caught up (0 by default). */
  private long maxLag() {
    String value = args.option("max-lag", "0");
    if (!value.matches("0|[1-9][0-9]{0,17}")) {
      throw new IllegalArgumentException("--max-lag must be a whole number ≥ 0, not " + value);
    }
    return Long.parseLong(value);
  }

  private String required(String option) {
    String value = args.option(option, null);
    if (value == null) {
      throw new IllegalArgumentException("--" + option + " is required");
    }
    return value;
  }

  private static List<String> urls(String value) {
    List<String> urls = new ArrayList<>();
    for (String url : value.split(",")) {
      if (!url.isBlank()) {
        urls.add(url.strip().replaceAll("/+$", ""));
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("No URL given");
    }
    return urls;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    TreeMap<String, String> keys = new TreeMap<>(a);
    keys.putAll(b);
    return new ArrayList<>(keys.keySet());
  }
}
