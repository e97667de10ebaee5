package io.streamfold.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The command figures of {@link CommandLoad}, each beside its raw Kafka baseline and the ratio. */
final class CommandLoadReport {
  private CommandLoadReport() {}

  static String json(Map<String, Object> report) throws JsonProcessingException {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> report) {
    List<Map<String, Object>> warm = (List<Map<String, Object>>) report.get("warm");
    double p50 = median(warm, "commands", "p50Ms");
    double p99 = median(warm, "commands", "p99Ms");
    double txP50 = median(warm, "transaction", "p50Ms");
    double txP99 = median(warm, "transaction", "p99Ms");
    double sendP50 = median(warm, "send", "p50Ms");
    Map<String, Object> cold = (Map<String, Object>) report.get("cold");
    Map<String, Object> saturation = (Map<String, Object>) report.get("saturation 64 clients");
    Map<String, Object> contention =
        (Map<String, Object>) report.get("contention 32 clients on 4 accounts");
    Map<String, Object> visible = (Map<String, Object>) report.get(CommandLoad.VISIBLE);
    Map<String, Object> visibleAfter =
        (Map<String, Object>) report.get(CommandLoad.VISIBLE_AFTER_SATURATION);
    Object rate = report.get("rate");
    StringBuilder md = new StringBuilder();
    md.append("| what | Streamfold | raw Kafka, same broker, same run | ratio |\n");
    md.append("|---|---|---|---|\n");
    row(
        md,
        "command p50 at " + rate + "/s, warm (median of " + warm.size() + ")",
        p50,
        "one-record transaction p50",
        txP50);
    row(md, "command p99 at " + rate + "/s, warm", p99, "one-record transaction p99", txP99);
    md.append(
        String.format(
            Locale.ROOT,
            "| plain acks=all send p50 | | %.2f ms | |%n| command p50 / p99 at %s/s, cold (first run after ready) | %.2f / %.2f ms, %.0f/s achieved | | |%n",
            sendP50,
            rate,
            number(cold, "p50Ms"),
            number(cold, "p99Ms"),
            number(cold, "achieved/s")));
    md.append(
        String.format(
            Locale.ROOT,
            "| accepted commands/s, 64 clients closed loop, %d accounts | %.0f/s (p99 %.2f ms) | | |%n",
            CommandLoad.ACCOUNTS,
            number(saturation, "accepted/s"),
            number(saturation, "p99Ms")));
    cpu(md, "at " + rate + "/s, warm (last run)", warm.get(warm.size() - 1).get("commands"));
    cpu(md, "with 64 clients", saturation);
    md.append(
        String.format(
            Locale.ROOT,
            "| 32 clients on 4 hot accounts with If-Match | %.0f accepted/s, %.0f × 412/s | | |%n",
            number(contention, "accepted/s"),
            number(contention, "412/s")));
    row(
        md,
        "command-to-visible p99 at " + rate + "/s, after the warm runs",
        number(visible, "p99Ms"),
        "one-record transaction p99",
        txP99);
    if (visibleAfter != null) {
      row(
          md,
          "command-to-visible p99 at "
              + rate
              + "/s, right after the 64 clients and the hot accounts",
          number(visibleAfter, "p99Ms"),
          "one-record transaction p99",
          txP99);
    }
    md.append("\nStatuses: warm ")
        .append(warm.get(warm.size() - 1).get("commands"))
        .append("; saturation ")
        .append(saturation.get("statuses"))
        .append("; contention ")
        .append(contention.get("statuses"))
        .append('\n');
    return md.toString();
  }

  /** A row of the CPU each process used per command in {@code step}, when it was measured. */
  private static void cpu(StringBuilder md, String when, Object step) {
    if (step instanceof Map<?, ?> map && map.get("CPU µs per command") instanceof Map<?, ?> cpu) {
      md.append("| CPU per command ")
          .append(when)
          .append(", by process | ")
          .append(
              String.join(
                  ", ",
                  cpu.entrySet().stream()
                      .map(e -> e.getKey() + " " + e.getValue() + " µs")
                      .toList()))
          .append(" | | |\n");
    }
  }

  private static void row(
      StringBuilder md, String what, double value, String baseline, double base) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %.2f ms | %s %.2f ms | %.2f× |%n",
            what,
            value,
            baseline,
            base,
            value / base));
  }

  @SuppressWarnings("unchecked")
  private static double median(List<Map<String, Object>> runs, String part, String key) {
    double[] values =
        runs.stream()
            .mapToDouble(run -> number((Map<String, Object>) run.get(part), key))
            .sorted()
            .toArray();
    return values[values.length / 2];
  }

  private static double number(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
