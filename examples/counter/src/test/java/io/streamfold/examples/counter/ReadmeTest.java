package io.streamfold.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's "Write your own domain" shows this module whole, as it is. */
class ReadmeTest {
  @Test
  void shouldShowEverySourceFileAsItIs() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"));
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
      sources =
          files
              .filter(Files::isRegularFile)
              .filter(file -> !file.getFileName().toString().equals("package-info.java"))
              .toList();
    }

    assertThat(sources).hasSizeGreaterThanOrEqualTo(10);
    for (Path source : sources) {
      assertThat(readme)
          .as("README shows %s", source)
          .contains("`" + source.toString().replace('\\', '/') + "`:")
          .contains(Files.readString(source).strip());
    }
  }
}
