package io.streamfold.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary directories that the stack creates and removes: whatever a test or a benchmark leaves
 * behind (a failed test, a process stopped early) goes when the JVM that created it exits, so that
 * repeated runs do not fill {@code /tmp}.
 */
public final class Dirs {
  private static final Set<Path> TEMPORARY = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> TEMPORARY.forEach(Dirs::deleteIfPossible), "temporary-dirs-removal"));
  }

  private Dirs() {}

  public static Path temporary(String prefix) {
    try {
      Path dir = Files.createTempDirectory("streamfold-" + prefix);
      TEMPORARY.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** At exit, a process still stopping may hold or write files there: what is left stays. */
  private static void deleteIfPossible(Path dir) {
    try {
      deleteRecursively(dir);
    } catch (RuntimeException e) {
      // best effort
    }
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Dirs::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + path, e);
    }
  }
}
