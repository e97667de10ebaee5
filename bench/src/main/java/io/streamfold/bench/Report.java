package io.streamfold.bench;

import io.streamfold.service.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.json, report.md (each figure beside its baseline, as a ratio) and latency.svg. */
final class Report {
  private Report() {}

  record Row(String figure, double ours, double baseline, String unit, String baselineName) {
    String ratio() {
      return baseline == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f×", ours / baseline);
    }
  }

  static void write(
      Path dir,
      Map<String, Object> results,
      List<Row> rows,
      List<OpenLoop.Result> commandRates,
      Map<Integer, Latency> eosRates,
      String machine)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("report.json"),
        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
    List<String> md = new ArrayList<>();
    md.add("# Streamfold benchmark");
    md.add("");
    md.add(
        "Machine: "
            + machine
            + ". Mode: "
            + results.get("mode")
            + ". Each figure beside a raw Kafka baseline measured on the same broker in the same run.");
    md.add("");
    md.add("| figure | Streamfold | baseline | ratio | baseline is |");
    md.add("|---|---|---|---|---|");
    for (Row row : rows) {
      md.add(
          String.format(
              Locale.ROOT,
              "| %s | %s %s | %s %s | %s | %s |",
              row.figure(),
              fmt(row.ours()),
              row.unit(),
              fmt(row.baseline()),
              row.unit(),
              row.ratio(),
              row.baselineName()));
    }
    md.add("");
    md.add("## Command latency at fixed rates (open loop, from each request's intended start)");
    md.add("");
    md.add(
        "| rate/s | achieved/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | statuses | EOS passthrough p50 / p99 ms |");
    md.add("|---|---|---|---|---|---|---|---|---|");
    for (OpenLoop.Result r : commandRates) {
      Latency e = eosRates.get(r.rate());
      md.add(
          String.format(
              Locale.ROOT,
              "| %d | %.0f | %s | %s | %s | %s | %s | %s | %s / %s |",
              r.rate(),
              r.achievedPerSecond(),
              fmt(r.latency().p50()),
              fmt(r.latency().p90()),
              fmt(r.latency().p99()),
              fmt(r.latency().p999()),
              fmt(r.latency().max()),
              r.statuses(),
              e == null ? "-" : fmt(e.p50()),
              e == null ? "-" : fmt(e.p99())));
    }
    md.add("");
    md.add("![latency percentiles](latency.svg)");
    Files.write(dir.resolve("report.md"), md);
    Files.writeString(dir.resolve("latency.svg"), svg(commandRates, eosRates));
  }

  static String fmt(double value) {
    return value >= 100
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  /** p50/p90/p99/p99.9 of each rate, ours solid and the EOS passthrough dashed, log-scale y. */
  static String svg(List<OpenLoop.Result> commandRates, Map<Integer, Latency> eosRates) {
    int width = 640;
    int height = 360;
    int left = 60;
    int bottom = 40;
    double maxLog = Math.log10(10_000);
    double minLog = Math.log10(0.1);
    String[] colours = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
            width,
            height));
    out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    String[] labels = {"p50", "p90", "p99", "p99.9"};
    for (int i = 0; i < labels.length; i++) {
      int x = left + 40 + i * 150;
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              x,
              height - 20,
              labels[i]));
    }
    for (double ms : new double[] {0.1, 1, 10, 100, 1000, 10000}) {
      double y = y(ms, minLog, maxLog, height - bottom);
      out.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"5\" y=\"%.1f\">%s ms</text>%n",
              left,
              width - 10,
              y,
              y,
              y + 4,
              fmt(ms)));
    }
    int c = 0;
    for (OpenLoop.Result r : commandRates) {
      String colour = colours[c++ % colours.length];
      line(
          out,
          new double[] {
            r.latency().p50(), r.latency().p90(), r.latency().p99(), r.latency().p999()
          },
          colour,
          "",
          left,
          minLog,
          maxLog,
          height - bottom);
      Latency e = eosRates.get(r.rate());
      if (e != null) {
        line(
            out,
            new double[] {e.p50(), e.p90(), e.p99(), e.p999()},
            colour,
            " stroke-dasharray=\"4 3\"",
            left,
            minLog,
            maxLog,
            height - bottom);
      }
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%d/s</text>%n",
              width - 70,
              20 + 14 * c,
              colour,
              r.rate()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">solid: commands; dashed: EOS passthrough baseline</text>%n",
            left,
            14));
    out.append("</svg>\n");
    return out.toString();
  }

  private static void line(
      StringBuilder out,
      double[] values,
      String colour,
      String dash,
      int left,
      double minLog,
      double maxLog,
      int plotHeight) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      points.append(
          String.format(
              Locale.ROOT,
              "%d,%.1f ",
              left + 40 + i * 150,
              y(Math.max(0.1, values[i]), minLog, maxLog, plotHeight)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>%n",
            colour,
            dash,
            points.toString().trim()));
  }

  private static double y(double ms, double minLog, double maxLog, int plotHeight) {
    double fraction = (Math.log10(ms) - minLog) / (maxLog - minLog);
    return 20 + (1 - Math.max(0, Math.min(1, fraction))) * (plotHeight - 20);
  }
}
