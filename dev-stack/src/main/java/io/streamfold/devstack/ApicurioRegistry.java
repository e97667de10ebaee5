package io.streamfold.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real Apicurio Registry (in-memory storage) as a child JVM on a loopback port, speaking the
 * Confluent Schema Registry API under {@code /apis/ccompat/v7}.
 *
 * <p>Apicurio's default compatibility is NONE; on start this fixture sets the global level to the
 * one asked for ({@code BACKWARD} by default) so that incompatible registrations are refused.
 */
public final class ApicurioRegistry implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final int port;
  private final String compatibility;
  private final Path workDir;
  private final boolean persistent;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ChildJvm jvm;

  private ApicurioRegistry(int port, String compatibility, Path workDir, boolean persistent) {
    this.port = port == 0 ? Ports.freeLoopbackPort() : port;
    this.compatibility = compatibility;
    this.workDir = workDir.toAbsolutePath();
    this.persistent = persistent;
  }

  /** Starts a registry on a free port with BACKWARD global compatibility. */
  public static ApicurioRegistry startTemporary() {
    return start(0, "BACKWARD", Dirs.temporary("registry-"));
  }

  /**
   * Starts a registry and waits until its ccompat API answers.
   *
   * @param port 0 for a free port
   * @param compatibility global compatibility level to set, e.g. {@code BACKWARD}
   * @param workDir receives the log file
   */
  public static ApicurioRegistry start(int port, String compatibility, Path workDir) {
    ApicurioRegistry registry = new ApicurioRegistry(port, compatibility, workDir, false);
    registry.launch();
    return registry;
  }

  /**
   * Starts a registry whose schemas survive restarts (H2 database files in {@code workDir}): events
   * written before a restart carry schema ids that must still resolve after it.
   */
  public static ApicurioRegistry startPersistent(int port, String compatibility, Path workDir) {
    ApicurioRegistry registry = new ApicurioRegistry(port, compatibility, workDir, true);
    registry.launch();
    return registry;
  }

  private void launch() {
    Path runner = findRunnerJar(BuildInfo.apicurioHome());
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-Xms128m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.enabled=false",
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.log.category.\"io.quarkus\".level=INFO",
                "-jar",
                runner.toString()));
    if (persistent) {
      args.add(
          args.size() - 2,
          "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + workDir.resolve("registry-db"));
    }
    args.addAll(args.size() - 2, SharedClasses.options("apicurio-registry", runner.toString()));
    jvm = ChildJvm.start("apicurio-registry", args, workDir.resolve("registry.log"));
    awaitReady();
    setGlobalCompatibility();
  }

  private static Path findRunnerJar(Path home) {
    try (var files = Files.list(home)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-runner.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("No *-runner.jar in " + home));
    } catch (IOException e) {
      throw new IllegalStateException(
          "Apicurio Registry is not unpacked at " + home + ": build the dev-stack module first", e);
    }
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (true) {
      if (!jvm.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry exited during start-up:\n" + jvm.logTail(40));
      }
      try {
        if (send(HttpRequest.newBuilder(uri("/subjects")).GET()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "Apicurio Registry was not ready within " + START_TIMEOUT + ":\n" + jvm.logTail(40));
      }
      KafkaBroker.pause(Duration.ofMillis(200));
    }
  }

  private void setGlobalCompatibility() {
    String body = "{\"compatibility\":\"" + compatibility + "\"}";
    try {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(uri("/config"))
                  .header("Content-Type", "application/json")
                  .PUT(HttpRequest.BodyPublishers.ofString(body)));
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Setting the registry's compatibility failed: HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Setting the registry's compatibility failed", e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted", e);
    }
  }

  private URI uri(String path) {
    return URI.create(url() + path);
  }

  /** The Confluent-compatible API base, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
  public String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    if (jvm != null) {
      jvm.close();
      jvm = null;
    }
  }
}
