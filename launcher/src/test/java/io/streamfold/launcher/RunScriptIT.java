package io.streamfold.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.it.Http;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run.sh} as a user runs it: start, use, Ctrl-C (SIGINT), start again on the same data,
 * find the same balance, and leave no process behind.
 */
class RunScriptIT {
  final Path dataDir = Dirs.temporary("run-sh-");
  final int commandPort = Ports.freeLoopbackPort();
  final int projectionPort = Ports.freeLoopbackPort();
  final int kafkaPort = Ports.freeLoopbackPort();
  final int registryPort = Ports.freeLoopbackPort();
  Process running;

  @AfterEach
  void cleanUp() {
    if (running != null && running.isAlive()) {
      running.descendants().forEach(ProcessHandle::destroyForcibly);
      running.destroyForcibly();
    }
    Dirs.deleteRecursively(dataDir);
  }

  @Test
  void shouldRunUseStopAndRestartWithTheSameData() throws Exception {
    String commands = "http://127.0.0.1:" + commandPort + "/api/v1/accounts/";
    String projections = "http://127.0.0.1:" + projectionPort + "/api/v1/accounts/";

    List<ProcessHandle> children = start();
    assertThat(
            Http.post(
                    commands + "run-1/open",
                    "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\"10.00\"}")
                .status())
        .isEqualTo(201);
    Http.Response deposit =
        Http.post(commands + "run-1/deposit", "{\"amount\":\"32.10\"}", "If-Match", "\"1\"");
    assertThat(deposit.status()).isEqualTo(200);
    Http.Response read = Http.get(projections + "run-1?minVersion=2");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("balance").asText()).isEqualTo("42.10");
    stopWithCtrlC(children);

    children = start();
    Http.Response again = Http.get(projections + "run-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("balance").asText()).isEqualTo("42.10");
    assertThat(Http.get(commands + "run-1").header("ETag")).isEqualTo("\"2\"");
    assertThat(
            Http.post(commands + "run-1/deposit", "{\"amount\":\"1\"}", "If-Match", "\"2\"")
                .status())
        .isEqualTo(200);
    stopWithCtrlC(children);
  }

  /**
   * Starts run.sh and waits for both readiness endpoints; returns the child processes it started.
   */
  private List<ProcessHandle> start() throws IOException {
    Path log = dataDir.resolve("run-" + System.nanoTime() + ".log");
    dataDir.toFile().mkdirs();
    running =
        new ProcessBuilder(
                // SIGINT back to its default: under nohup or in a background job the test JVM
                // ignores it, its children would inherit that, and Ctrl-C could not be tested
                "env",
                "--default-signal=INT",
                "bash",
                "run.sh",
                "--data-dir",
                dataDir.resolve("data").toString(),
                "--command-port",
                Integer.toString(commandPort),
                "--projection-port",
                Integer.toString(projectionPort),
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--registry-port",
                Integer.toString(registryPort))
            .directory(new File("..").getCanonicalFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant began = Instant.now();
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                ready("http://127.0.0.1:" + commandPort)
                    && ready("http://127.0.0.1:" + projectionPort));
    System.out.printf("run.sh ready in %d ms%n", Duration.between(began, Instant.now()).toMillis());
    List<ProcessHandle> children = running.descendants().toList();
    assertThat(children)
        .as("the broker and the registry run as child processes")
        .hasSizeGreaterThanOrEqualTo(2);
    return children;
  }

  private static boolean ready(String base) {
    try {
      return Http.get(base + "/health/ready").status() == 200;
    } catch (IllegalStateException notListening) {
      return false;
    }
  }

  private void stopWithCtrlC(List<ProcessHandle> children) throws Exception {
    new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).start().waitFor();
    assertThat(running.waitFor(90, TimeUnit.SECONDS)).as("run.sh stops on SIGINT").isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
  }
}
