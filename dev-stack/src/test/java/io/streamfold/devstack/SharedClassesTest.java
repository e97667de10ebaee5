package io.streamfold.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real JVMs on the broker's classpath: one writes the archive, the next maps it. */
class SharedClassesTest {
  private static final String CLASSPATH = BuildInfo.kafkaClasspath();
  private static final String JAVA = ChildJvm.javaExecutable();

  @TempDir Path dir;

  @Test
  void aJvmWritesTheArchiveAtItsExitAndTheNextStartMapsItAfterCheckingIt() throws Exception {
    List<String> first = SharedClasses.options(dir, "tool", CLASSPATH, JAVA);
    assertThat(first).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    assertThat(run(first, false)).isEqualTo(0);
    assertThat(files(".new")).hasSize(1);

    List<String> second = SharedClasses.options(dir, "tool", CLASSPATH, JAVA);
    assertThat(second).anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
    assertThat(files(".new")).isEmpty();
    assertThat(files(".jsa")).hasSize(1);
    Path leftover =
        Files.writeString(dir.resolve(files(".jsa").get(0).getFileName() + ".x.new"), "");
    SharedClasses.options(dir, "tool", CLASSPATH, JAVA);
    assertThat(leftover).doesNotExist(); // another JVM's, written while this one was
    Path log = dir.resolve("classes.log");
    assertThat(run(second, true, log)).isEqualTo(0);
    assertThat(Files.readString(log))
        .contains("kafka.tools.StorageTool source: shared objects file (top)");
  }

  @Test
  void anArchiveCutShortIsNeverMappedAndGoesOnceItCannotStillBeBeingWritten() throws Exception {
    SharedClasses.options(dir, "tool", CLASSPATH, JAVA);
    assertThat(run(SharedClasses.options(dir, "tool", CLASSPATH, JAVA), false)).isEqualTo(0);
    Path whole = files(".new").get(0);
    byte[] bytes = Files.readAllBytes(whole);
    Files.write(whole, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // killed while writing

    assertThat(SharedClasses.options(dir, "tool", CLASSPATH, JAVA))
        .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile="))
        .anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    assertThat(files(".new")).containsExactly(whole); // young: perhaps still being written

    Files.setLastModifiedTime(whole, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    SharedClasses.options(dir, "tool", CLASSPATH, JAVA);
    assertThat(files(".new")).isEmpty();
    assertThat(files(".jsa")).isEmpty();
  }

  @Test
  void anotherJarOrAChangedOneIsAnotherKey() throws Exception {
    Path jar = Files.writeString(dir.resolve("a.jar"), "x");
    String before = SharedClasses.key(jar.toString(), JAVA);
    assertThat(SharedClasses.key(jar.toString(), JAVA)).isEqualTo(before);
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(SharedClasses.key(jar.toString(), JAVA)).isNotEqualTo(before);
    assertThat(SharedClasses.key(jar + ":" + jar, JAVA)).isNotEqualTo(before);
  }

  private int run(List<String> options, boolean logClasses) throws Exception {
    return run(options, logClasses, dir.resolve("out.log"));
  }

  private int run(List<String> options, boolean logClasses, Path log) throws Exception {
    List<String> command = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1"));
    command.addAll(options);
    if (logClasses) {
      command.add("-Xlog:class+load=info");
    }
    command.addAll(List.of("-cp", CLASSPATH, "kafka.tools.StorageTool", "random-uuid"));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
