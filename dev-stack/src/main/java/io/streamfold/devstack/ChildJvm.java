package io.streamfold.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java child process whose output goes to a log file and which never outlives this JVM's exit.
 */
public final class ChildJvm implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread reaper;

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static volatile boolean ownSession;

  /**
   * Starts later children in a session of their own (with {@code setsid}, where there is one), so a
   * terminal's Ctrl-C or a signal to this process's group reaches this JVM only: its shutdown then
   * stops the children in order, after the services that use them, rather than all at once.
   */
  public static void startInOwnSession() {
    ownSession = true;
  }

  private ChildJvm(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.reaper = new Thread(this::reap, name + "-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code java <jvmArgs> <mainArgs>} with the same Java executable as this JVM.
   *
   * @param logFile receives the child's standard output and error (appended)
   */
  public static ChildJvm start(String name, List<String> jvmAndMainArgs, Path logFile) {
    return start(name, jvmAndMainArgs, java.util.Map.of(), logFile);
  }

  /**
   * Starts {@code java <jvmArgs> <mainArgs>} with these environment variables added to this JVM's.
   *
   * @param logFile receives the child's standard output and error (appended)
   */
  public static ChildJvm start(
      String name,
      List<String> jvmAndMainArgs,
      java.util.Map<String, String> environment,
      Path logFile) {
    List<String> command = new ArrayList<>();
    if (ownSession && Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    command.add(javaExecutable());
    command.addAll(jvmAndMainArgs);
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(environment);
      Process process =
          builder
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      LOG.info("Started {} (pid {}), log {}", name, process.pid(), logFile);
      return new ChildJvm(name, process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + name + ": " + command, e);
    }
  }

  /**
   * At JVM exit: the owner's own shutdown hook (which runs at the same time) gets a grace period to
   * stop the child in order, e.g. the broker after the services that use it; then it is stopped,
   * and killed as a last resort, so a child never outlives its parent's orderly exit.
   */
  private void reap() {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** The last lines of the log, for error messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /**
   * Waits for the process to exit by itself.
   *
   * @return its exit code, or -1 if it was still running after {@code timeout} (it is then killed)
   */
  public int awaitExit(Duration timeout) {
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
    return -1;
  }

  /**
   * Asks the process to stop (SIGTERM), and kills it if it has not stopped within {@code grace}.
   */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not stop within {}; killing it", name, grace);
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing to remove
    }
  }
}
