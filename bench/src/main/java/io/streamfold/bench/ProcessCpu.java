package io.streamfold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time the stack's processes used over a measured step, per request: the figure that
 * survives this machine's noise when latencies do not (a slow hour makes every step slower, but a
 * command costs the broker and the services about the same CPU). Read from {@code /proc/<pid>/stat}
 * (user plus system time), so Linux only; elsewhere nothing is reported.
 */
final class ProcessCpu {
  /** The kernel's clock ticks per second for {@code /proc} times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Long> pids;
  private Map<String, Long> start = Map.of();

  /**
   * @param pids process name → pid; the load generator itself is added as {@code "load generator"}
   */
  ProcessCpu(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
    this.pids.put("load generator", ProcessHandle.current().pid());
  }

  /**
   * Parses {@code name=pid,name=pid} (what {@code bench.sh} passes as {@code --cpu-pids=}); an
   * empty or absent list names no process of the stack.
   */
  static ProcessCpu parse(String list) {
    Map<String, Long> pids = new LinkedHashMap<>();
    if (list != null) {
      for (String entry : list.split(",")) {
        int eq = entry.indexOf('=');
        if (eq > 0 && eq < entry.length() - 1) {
          pids.put(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
        }
      }
    }
    return new ProcessCpu(pids);
  }

  /** The processes measured, by name. */
  Map<String, Long> pids() {
    return Map.copyOf(pids);
  }

  /** Starts a step. */
  void start() {
    start = read();
  }

  /**
   * Microseconds of CPU per request since {@link #start}, by process; empty when {@code /proc}
   * could not be read.
   */
  Map<String, Long> microsPerRequest(long requests) {
    Map<String, Long> end = read();
    Map<String, Long> per = new LinkedHashMap<>();
    if (requests <= 0) {
      return per;
    }
    end.forEach(
        (name, ticks) -> {
          Long before = start.get(name);
          if (before != null) {
            per.put(name, Math.round((ticks - before) / TICKS_PER_SECOND * 1e6 / requests));
          }
        });
    return per;
  }

  private Map<String, Long> read() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    pids.forEach(
        (name, pid) -> {
          Long used = ticks(pid);
          if (used != null) {
            ticks.put(name, used);
          }
        });
    return ticks;
  }

  /** User plus system clock ticks of {@code pid}, or null when it cannot be read. */
  static Long ticks(long pid) {
    try {
      return ticksOf(pid);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** User plus system CPU time of {@code pid} so far, in seconds. */
  static double secondsOf(long pid) throws IOException {
    return ticksOf(pid) / TICKS_PER_SECOND;
  }

  /** User plus system clock ticks of {@code pid} so far, from {@code /proc/<pid>/stat}. */
  static long ticksOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name (field 2) may hold spaces and parentheses: fields count from the last ')'
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
  }
}
