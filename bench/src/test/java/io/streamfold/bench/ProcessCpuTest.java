package io.streamfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void shouldParseTheListOfProcesses() {
    ProcessCpu cpu = ProcessCpu.parse("services=12,broker=34,,bad");
    assertThat(cpu.pids())
        .containsEntry("services", 12L)
        .containsEntry("broker", 34L)
        .containsKey("load generator")
        .hasSize(3);
  }

  @Test
  void shouldMeasureTheCpuAProcessUsedPerRequest() {
    assumeTrue(Files.exists(Path.of("/proc/self/stat")), "Linux only");
    long self = ProcessHandle.current().pid();
    ProcessCpu cpu = new ProcessCpu(Map.of("busy", self));
    cpu.start();
    // 0.3 s of CPU on this thread, however busy the machine is
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long end = threads.getCurrentThreadCpuTime() + 300_000_000L;
    long sink = 0;
    while (threads.getCurrentThreadCpuTime() < end) {
      sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
    }
    Map<String, Long> per = cpu.microsPerRequest(1_000);
    assertThat(sink).isNotNegative();
    // 0.3 s over 1,000 requests is 300 µs each; the tick is 10 ms, and the JVM adds its own
    assertThat(per.get("busy")).isBetween(250L, 3_000L);
  }

  @Test
  void shouldReportNothingForAProcessThatCannotBeRead() {
    assertThat(ProcessCpu.ticks(Long.MAX_VALUE)).isNull();
    ProcessCpu cpu = new ProcessCpu(Map.of("gone", Long.MAX_VALUE));
    cpu.start();
    assertThat(cpu.microsPerRequest(10)).doesNotContainKey("gone");
  }
}
