package io.streamfold.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class data sharing (AppCDS) for the development stack's own JVMs: the broker, its
 * storage formatter and the registry. Each loads and verifies some 5,000 to 10,000 classes from
 * jars at every start, most of its start on two cores (measured: a broker ready in 2.8–3.1 s with
 * an archive against 4.2 s without, the registry 2.3–2.6 s against 4.1–4.3 s; {@code
 * bench/profiles/2026-12-04-class-data/}).
 *
 * <p>JDK 17 cannot create an archive by itself when none exists (that came with JDK 19's {@code
 * -XX:+AutoCreateSharedArchive}), so this does it the same way: a JVM started without a usable
 * archive writes one when it exits ({@code -XX:ArchiveClassesAtExit}, a few seconds more at its
 * start and exit, once), under a name of its own; the next start checks that file in a JVM of its
 * own ({@code -Xshare:on -XX:+VerifySharedSpaces}: a file cut short by a kill, or written for other
 * jars, fails there, where it would crash the JVM that mapped it) and only then makes it the
 * archive every later start maps. An archive is keyed by the Java runtime and by every classpath
 * entry's path, size and modification time, so a rebuilt jar or another JDK starts a new one.
 *
 * <p>Archives live in {@code STREAMFOLD_CDS_DIR} if set ({@code off} turns this off), else in the
 * dev-stack module's build directory, beside the unpacked registry.
 */
final class SharedClasses {
  private static final Logger LOG = LoggerFactory.getLogger(SharedClasses.class);

  /** How old an unchecked archive must be before a failed check deletes it (it may be written). */
  private static final Duration WRITING = Duration.ofMinutes(2);

  private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  private SharedClasses() {}

  /**
   * The JVM options that make a JVM named {@code name} with {@code classpath} (its {@code -cp}, or
   * the jar of its {@code -jar}) map its archive, or write one at its exit when there is none yet;
   * none when sharing is off.
   */
  static List<String> options(String name, String classpath) {
    Path dir = directory();
    return dir == null ? List.of() : options(dir, name, classpath, ChildJvm.javaExecutable());
  }

  static List<String> options(Path dir, String name, String classpath, String java) {
    try {
      Files.createDirectories(dir);
      String prefix = name + "-" + key(classpath, java);
      Path archive = dir.resolve(prefix + ".jsa");
      promote(dir, prefix, archive, classpath, java);
      List<String> options = new ArrayList<>(QUIET);
      if (Files.exists(archive)) {
        options.add("-XX:SharedArchiveFile=" + archive);
      } else {
        Path written = dir.resolve(prefix + "." + UUID.randomUUID() + ".new");
        options.add("-XX:ArchiveClassesAtExit=" + written);
        options.add("-XX:+VerifySharedSpaces"); // the check before its first use needs its CRCs
      }
      return options;
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("No class data sharing for {}", name, e);
      return List.of();
    }
  }

  /**
   * Makes the first written archive that passes the check the archive, when there is none yet;
   * deletes the others once there is one, those that fail the check once they are old enough not to
   * be still being written, and the archives of other keys.
   */
  private static void promote(Path dir, String prefix, Path archive, String classpath, String java)
      throws IOException {
    List<Path> written;
    try (Stream<Path> files = Files.list(dir)) {
      written =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix + "."))
              .filter(f -> f.getFileName().toString().endsWith(".new"))
              .sorted()
              .toList();
    }
    for (Path candidate : written) {
      if (!Files.exists(archive) && usable(candidate, classpath, java)) {
        Files.move(candidate, archive, StandardCopyOption.ATOMIC_MOVE);
        dropOtherKeys(dir, prefix.substring(0, prefix.lastIndexOf('-') + 1), archive);
      } else if (Files.getLastModifiedTime(candidate)
              .toInstant()
              .isBefore(Instant.now().minus(WRITING))
          || Files.exists(archive)) {
        Files.deleteIfExists(candidate);
      }
    }
  }

  /** Whether a JVM maps {@code candidate} whole, its checksums right, for this classpath. */
  static boolean usable(Path candidate, String classpath, String java) {
    List<String> command =
        List.of(
            java,
            "-Xshare:on",
            "-XX:+VerifySharedSpaces",
            "-XX:SharedArchiveFile=" + candidate,
            "-cp",
            classpath,
            "-version");
    try {
      Process check =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!check.waitFor(30, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        return false;
      }
      return check.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void dropOtherKeys(Path dir, String namePrefix, Path keep) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path stale :
          files
              .filter(f -> f.getFileName().toString().startsWith(namePrefix))
              .filter(f -> f.getFileName().toString().endsWith(".jsa"))
              .filter(f -> !f.equals(keep))
              .toList()) {
        Files.deleteIfExists(stale);
      }
    }
  }

  /** The Java runtime and every classpath entry's path, size and modification time, hashed. */
  static String key(String classpath, String java) throws IOException {
    StringBuilder identity =
        new StringBuilder(java).append('\n').append(System.getProperty("java.vm.version"));
    for (String entry : classpath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      identity.append('\n').append(entry);
      if (Files.isRegularFile(path)) {
        identity
            .append(' ')
            .append(Files.size(path))
            .append(' ')
            .append(Files.getLastModifiedTime(path).toMillis());
      }
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(identity.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path directory() {
    String configured = System.getenv("STREAMFOLD_CDS_DIR");
    if (configured != null && !configured.isBlank()) {
      return configured.equalsIgnoreCase("off") ? null : Path.of(configured);
    }
    return BuildInfo.sharedClassesDir(); // null from a build that did not say where
  }
}
