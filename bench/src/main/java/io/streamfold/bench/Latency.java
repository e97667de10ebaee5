package io.streamfold.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram recorded in microseconds, reported in milliseconds. */
record Latency(long count, double p50, double p90, double p99, double p999, double max) {
  static Latency of(Histogram micros) {
    return new Latency(
        micros.getTotalCount(),
        ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(90)),
        ms(micros.getValueAtPercentile(99)),
        ms(micros.getValueAtPercentile(99.9)),
        ms(micros.getMaxValue()));
  }

  static Histogram histogram() {
    return new Histogram(60_000_000L, 3);
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("count", count);
    json.put("p50Ms", p50);
    json.put("p90Ms", p90);
    json.put("p99Ms", p99);
    json.put("p999Ms", p999);
    json.put("maxMs", max);
    return json;
  }
}
