package io.streamfold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLoadReportTest {
  @Test
  void shouldShowTheCpuPerCommandOfTheStepsThatMeasuredIt() {
    Map<String, Object> warm = step(5.0);
    warm.put("CPU µs per command", cpu(1300, 1500, 130));
    Map<String, Object> saturation = step(16.0);
    saturation.put("CPU µs per command", cpu(271, 151, 44));

    String md = CommandLoadReport.markdown(report(warm, saturation));

    assertThat(md)
        .contains(
            "| CPU per command at 500/s, warm (last run), by process | services 1300 µs, broker"
                + " 1500 µs, load generator 130 µs | | |")
        .contains(
            "| CPU per command with 64 clients, by process | services 271 µs, broker 151 µs,"
                + " load generator 44 µs | | |");
  }

  @Test
  void shouldLeaveTheRowsOutWhenNothingWasMeasured() {
    assertThat(CommandLoadReport.markdown(report(step(5.0), step(16.0))))
        .doesNotContain("CPU per command")
        .contains("| command p50 at 500/s, warm (median of 1) | 5.00 ms");
  }

  @Test
  void shouldShowCommandToVisibleAfterTheWarmRunsAndAfterTheSaturationStepsApart() {
    Map<String, Object> report = report(step(5.0), step(16.0));
    report.put(CommandLoad.VISIBLE_AFTER_SATURATION, step(20.0));

    assertThat(CommandLoadReport.markdown(report))
        .contains(
            "| command-to-visible p99 at 500/s, after the warm runs | 32.00 ms | one-record"
                + " transaction p99 8.00 ms | 4.00× |")
        .contains(
            "| command-to-visible p99 at 500/s, right after the 64 clients and the hot accounts |"
                + " 80.00 ms | one-record transaction p99 8.00 ms | 10.00× |");
  }

  private static Map<String, Object> report(
      Map<String, Object> warmCommands, Map<String, Object> saturation) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("transaction", step(2.0));
    run.put("send", step(0.5));
    run.put("commands", warmCommands);
    Map<String, Object> contention = step(10.0);
    contention.put("412/s", 100.0);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("rate", 500);
    report.put("cold", step(50.0));
    report.put("warm", List.of(run));
    report.put("saturation 64 clients", saturation);
    report.put("contention 32 clients on 4 accounts", contention);
    report.put(CommandLoad.VISIBLE, step(8.0));
    return report;
  }

  private static Map<String, Object> step(double p50) {
    Map<String, Object> step = new HashMap<>();
    step.put("p50Ms", p50);
    step.put("p99Ms", p50 * 4);
    step.put("achieved/s", 500.0);
    step.put("accepted/s", 3000.0);
    step.put("statuses", Map.of(200, 1000));
    return step;
  }

  private static Map<String, Long> cpu(long services, long broker, long loadGenerator) {
    Map<String, Long> cpu = new LinkedHashMap<>();
    cpu.put("services", services);
    cpu.put("broker", broker);
    cpu.put("load generator", loadGenerator);
    return cpu;
  }
}
