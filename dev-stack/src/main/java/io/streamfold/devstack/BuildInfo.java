package io.streamfold.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;

/** Where this module's build put the broker classpath and the registry distribution. */
final class BuildInfo {
  private BuildInfo() {}

  /** The broker's classpath: {@code STREAMFOLD_KAFKA_CLASSPATH} if set, else the build's file. */
  static String kafkaClasspath() {
    String override = System.getenv("STREAMFOLD_KAFKA_CLASSPATH");
    if (override != null && !override.isBlank()) {
      return override;
    }
    return resource("kafka.classpath").trim();
  }

  /**
   * The unpacked Apicurio distribution: {@code STREAMFOLD_APICURIO_HOME} if set, else the build's.
   */
  static Path apicurioHome() {
    String override = System.getenv("STREAMFOLD_APICURIO_HOME");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("dev-stack.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Path.of(properties.getProperty("apicurio.home"));
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
