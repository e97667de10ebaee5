package io.streamfold.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** Where this module's build put the broker classpath and the registry distribution. */
final class BuildInfo {
  private BuildInfo() {}

  /**
   * The broker's classpath: {@code STREAMFOLD_KAFKA_CLASSPATH} if set, else the build's: the broker
   * and its dependencies, and the clients' runtime dependencies (the compression codecs, without
   * which the broker refuses lz4, zstd and snappy batches).
   */
  static String kafkaClasspath() {
    String override = System.getenv("STREAMFOLD_KAFKA_CLASSPATH");
    if (override != null && !override.isBlank()) {
      return override;
    }
    Set<String> entries = new LinkedHashSet<>();
    for (String file : List.of("kafka.classpath", "kafka-runtime.classpath")) {
      for (String entry : resource(file).trim().split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          entries.add(entry);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The unpacked Apicurio distribution: {@code STREAMFOLD_APICURIO_HOME} if set, else the build's.
   */
  static Path apicurioHome() {
    String override = System.getenv("STREAMFOLD_APICURIO_HOME");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    return Path.of(property("apicurio.home"));
  }

  /** Where the class data archives of the stack's JVMs are kept ({@link SharedClasses}). */
  static Path sharedClassesDir() {
    String dir = property("cds.dir");
    return dir == null ? null : Path.of(dir);
  }

  private static String property(String name) {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("dev-stack.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty(name);
  }

  private static String resource(String name) {
    try (InputStream in = BuildInfo.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "Missing build resource " + name + ": build the dev-stack module with Maven first");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
