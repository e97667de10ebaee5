package io.streamfold.reliability;

import io.streamfold.command.it.Http;
import io.streamfold.devstack.ChildJvm;
import io.streamfold.devstack.Dirs;
import io.streamfold.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One service instance as a child JVM started from its {@code Main}, configured only by environment
 * variables as in production. Its port and state directory survive {@link #kill()} and {@link
 * #start()}, like a Kubernetes StatefulSet pod with its volume.
 */
final class ServiceProcess implements AutoCloseable {
  enum Kind {
    COMMAND("io.streamfold.command.Main"),
    PROJECTION("io.streamfold.projection.Main");

    final String mainClass;

    Kind(String mainClass) {
      this.mainClass = mainClass;
    }
  }

  private static final String CLASSPATH = readClasspath();

  private final String name;
  private final Kind kind;
  private final Map<String, String> env;
  private final int port;
  private final Path logFile;
  private ChildJvm jvm;
  private int starts;

  ServiceProcess(String name, Kind kind, Map<String, String> environment) {
    this.name = name;
    this.kind = kind;
    this.port = Ports.freeLoopbackPort();
    this.env = new HashMap<>(environment);
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("STATE_DIR", Dirs.temporary(name + "-state-").toString());
    this.logFile = Path.of("target", "reliability-logs", name + ".log").toAbsolutePath();
  }

  synchronized ServiceProcess start() {
    if (jvm != null && jvm.isAlive()) {
      return this;
    }
    starts++;
    jvm =
        ChildJvm.start(
            name,
            List.of(
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4",
                "-cp",
                CLASSPATH,
                kind.mainClass),
            env,
            logFile);
    return this;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed, no group is left. */
  synchronized void kill() {
    jvm.kill();
  }

  /** SIGSTOP: the process freezes, as in a long GC pause or a stalled VM, sockets open. */
  synchronized void pause() {
    signal("STOP");
  }

  /** SIGCONT: a paused process runs on, unaware of the time that passed. */
  synchronized void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int exit =
          new ProcessBuilder("kill", "-" + name, Long.toString(jvm.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + name + " " + jvm.pid() + " exited " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return jvm != null && jvm.isAlive();
  }

  int starts() {
    return starts;
  }

  /** Whether {@code /health/ready} answers 200; false when the process does not answer. */
  boolean isReady() {
    if (!isAlive()) {
      return false;
    }
    try {
      return Http.get(url() + "/health/ready").status() == 200;
    } catch (IllegalStateException notListening) {
      return false;
    }
  }

  void awaitReady(Duration timeout) {
    try {
      org.awaitility.Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!isAlive()) {
                  throw new IllegalStateException(name + " exited:\n" + jvm.logTail(40));
                }
                return isReady();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException(
          name + " was not ready within " + timeout + ":\n" + jvm.logTail(40), e);
    }
  }

  @Override
  public synchronized void close() {
    if (jvm != null) {
      jvm.close();
    }
  }

  private static String readClasspath() {
    try (var in = ServiceProcess.class.getResourceAsStream("/services.classpath")) {
      if (in == null) {
        throw new IllegalStateException("services.classpath missing: build with Maven");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
