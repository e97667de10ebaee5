package io.streamfold.bench;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a command's time goes inside the command service: the {@code
 * streamfold_writer_phase_seconds} timers (the commands per round, and how long inbox messages
 * waited) read from {@code /metrics} before and after a run, as means over the run.
 */
final class WriterPhases {
  private static final Pattern LINE =
      Pattern.compile(
          "^streamfold_writer_(?:phase_seconds_(sum|count)\\{phase=\\\"(\\w+)\\\"\\}"
              + "|batch_commands_(sum|count)|inbox_age_seconds_(sum|count)) (\\S+)$",
          Pattern.MULTILINE);

  private WriterPhases() {}

  /** Phase (or "commands per round") → {sum, count}, as the command service reports them now. */
  static Map<String, double[]> read(URI commands) throws IOException {
    Map<String, double[]> totals = new LinkedHashMap<>();
    try (RawHttp http = new RawHttp(commands.getHost(), commands.getPort())) {
      Matcher m = LINE.matcher(http.get("/metrics").body());
      while (m.find()) {
        String name =
            m.group(2) != null
                ? m.group(2)
                : m.group(3) != null ? "commands per round" : "inbox (per message)";
        boolean sum =
            "sum".equals(m.group(1)) || "sum".equals(m.group(3)) || "sum".equals(m.group(4));
        totals.computeIfAbsent(name, k -> new double[2])[sum ? 0 : 1] =
            Double.parseDouble(m.group(5));
      }
    }
    return totals;
  }

  /** Each phase's mean between the two readings: milliseconds, or commands for a round's size. */
  static Map<String, Double> means(Map<String, double[]> before, Map<String, double[]> after) {
    Map<String, Double> means = new LinkedHashMap<>();
    after.forEach(
        (name, now) -> {
          double[] then = before.getOrDefault(name, new double[2]);
          double count = now[1] - then[1];
          if (count > 0) {
            double mean = (now[0] - then[0]) / count;
            double value = name.equals("commands per round") ? mean : mean * 1000;
            means.put(name, Math.round(value * 100) / 100.0);
          }
        });
    return means;
  }
}
