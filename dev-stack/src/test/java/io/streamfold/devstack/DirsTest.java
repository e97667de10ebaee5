package io.streamfold.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DirsTest {
  /** Run in a JVM of its own: leaves a temporary directory with a file in it, and exits. */
  public static void main(String[] args) throws Exception {
    Path dir = Dirs.temporary("dirs-test-");
    Files.createDirectories(dir.resolve("nested"));
    Files.writeString(dir.resolve("nested").resolve("data"), "left behind");
    System.out.println(dir);
  }

  @Test
  void shouldRemoveWhatATemporaryDirectoryHoldsWhenTheJvmThatMadeItExits() throws Exception {
    Process child =
        new ProcessBuilder(
                List.of(
                    ChildJvm.javaExecutable(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    DirsTest.class.getName()))
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    Path dir = Path.of(output.strip().lines().reduce((first, last) -> last).orElseThrow());
    assertThat(dir.getFileName().toString()).startsWith("streamfold-dirs-test-");
    assertThat(dir).doesNotExist();
  }
}
