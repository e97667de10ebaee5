package io.streamfold.launcher;

import io.streamfold.command.CommandService;
import io.streamfold.command.config.CommandServiceConfig;
import io.streamfold.devstack.ApicurioRegistry;
import io.streamfold.devstack.ChildJvm;
import io.streamfold.devstack.KafkaBroker;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.config.ProjectionServiceConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the whole platform on this machine and stops it on SIGINT/SIGTERM. */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  public static void main(String[] args) {
    LauncherOptions options;
    try {
      options = LauncherOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(LauncherOptions.USAGE);
      return;
    }
    Launcher launcher = new Launcher();
    // Ctrl-C reaches this JVM only; stopping it stops the services first, then broker and registry
    ChildJvm.startInOwnSession();
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, "launcher-shutdown"));
    try {
      launcher.start(options);
    } catch (RuntimeException e) {
      LOG.error("Start-up failed: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  void start(LauncherOptions options) {
    Instant began = Instant.now();
    var dataDir = options.dataDir();
    LOG.info("Data folder: {}", dataDir);
    CompletableFuture<KafkaBroker> broker =
        CompletableFuture.supplyAsync(
            () ->
                remember(
                    KafkaBroker.builder()
                        .dataDir(dataDir.resolve("kafka"))
                        .port(options.kafkaPort())
                        .longRunning()
                        .build()
                        .start()));
    CompletableFuture<ApicurioRegistry> registry =
        CompletableFuture.supplyAsync(
            () ->
                remember(
                    ApicurioRegistry.startPersistent(
                        options.registryPort(), "BACKWARD", dataDir.resolve("registry"))));
    String bootstrap = broker.join().bootstrapServers();
    String registryUrl = registry.join().url();

    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SCHEMA_REGISTRY_URL", registryUrl);
    env.putIfAbsent("HTTP_HOST", "127.0.0.1");
    env.put("KEY_ENCRYPTION_KEY", KeyEncryptionKeyFile.forDataDir(dataDir, env));
    Map<String, String> commandEnv = new HashMap<>(env);
    commandEnv.put("HTTP_PORT", Integer.toString(options.commandPort()));
    commandEnv.put("APPLICATION_SERVER", "127.0.0.1:" + options.commandPort());
    commandEnv.put("STATE_DIR", dataDir.resolve("command-state").toString());
    Map<String, String> projectionEnv = new HashMap<>(env);
    projectionEnv.put("HTTP_PORT", Integer.toString(options.projectionPort()));
    projectionEnv.put("APPLICATION_SERVER", "127.0.0.1:" + options.projectionPort());
    projectionEnv.put("STATE_DIR", dataDir.resolve("projection-state").toString());
    projectionEnv.remove("APPLICATION_ID"); // the two services must never share one
    projectionEnv.put(
        "APPLICATION_ID",
        env.getOrDefault("PROJECTION_APPLICATION_ID", "streamfold-projections-v5"));
    // both services start at once: the projection service waits for the event log, which the
    // command service creates first, and each one's waits on the broker overlap the other's work
    CompletableFuture<ProjectionService> projectionStart =
        CompletableFuture.supplyAsync(
            () ->
                remember(
                    ProjectionService.start(
                        ProjectionServiceConfig.fromEnv(projectionEnv), Clock.systemUTC())));
    CommandService commands =
        remember(CommandService.start(CommandServiceConfig.fromEnv(commandEnv), Clock.systemUTC()));
    ProjectionService projections;
    try {
      projections = projectionStart.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    awaitReady(commands, projections);
    if (options.demo()) {
      new Demo("http://127.0.0.1:" + options.commandPort()).load();
    }
    printWelcome(options, bootstrap, registryUrl, Duration.between(began, Instant.now()));
  }

  private <T extends AutoCloseable> T remember(T service) {
    synchronized (running) {
      running.push(service);
    }
    return service;
  }

  private static void awaitReady(CommandService commands, ProjectionService projections) {
    Instant deadline = Instant.now().plusSeconds(120);
    while (!(commands.isReady() && projections.isReady())) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("The services were not ready within 120 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted", e);
      }
    }
  }

  private static void printWelcome(
      LauncherOptions options, String bootstrap, String registryUrl, Duration took) {
    String commands = "http://127.0.0.1:" + options.commandPort();
    String projections = "http://127.0.0.1:" + options.projectionPort();
    System.out.println(
        String.join(
            "\n",
            "",
            "Streamfold is ready ("
                + took.toMillis()
                + " ms). Ctrl-C stops everything; data stays in "
                + options.dataDir(),
            "  command service     " + commands + "   (OpenAPI: " + commands + "/openapi.json)",
            "  projection service  "
                + projections
                + "   (OpenAPI: "
                + projections
                + "/openapi.json)",
            "  Kafka               " + bootstrap,
            "  schema registry     " + registryUrl,
            "",
            "Try:",
            "  curl -i -X POST "
                + commands
                + "/api/v1/accounts/alice-1/open -H 'Content-Type: application/json' \\",
            "       -d '{\"owner\":\"Alice\",\"currency\":\"EUR\",\"initialDeposit\":\"100.00\"}'",
            "  curl -i -X POST "
                + commands
                + "/api/v1/accounts/alice-1/deposit -H 'Content-Type: application/json' \\",
            "       -H 'If-Match: \"1\"' -d '{\"amount\":\"25.50\"}'",
            "  curl -i '" + projections + "/api/v1/accounts/alice-1?minVersion=2'",
            ""));
  }

  /** Stops everything started, in reverse order. */
  void stop() {
    synchronized (running) {
      while (!running.isEmpty()) {
        AutoCloseable service = running.pop();
        try {
          service.close();
        } catch (Exception e) {
          LOG.warn("Stopping {} failed: {}", service.getClass().getSimpleName(), e.toString());
        }
      }
    }
    LOG.info("Stopped");
  }
}
