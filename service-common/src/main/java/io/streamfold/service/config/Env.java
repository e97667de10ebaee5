package io.streamfold.service.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads of environment variables, each failure naming its variable. */
public final class Env {
  private final Map<String, String> env;
  private final Set<String> asked = new TreeSet<>();

  public Env(Map<String, String> env) {
    this.env = env;
  }

  /**
   * The variables a configuration reader asks for, given only the required ones: the
   * configuration's documented surface, checked against the deployment files.
   */
  public static Set<String> variablesRead(java.util.function.Consumer<Env> reader) {
    Env env =
        new Env(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "k:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r",
                "KEY_ENCRYPTION_KEY",
                "(any)"));
    reader.accept(env);
    return env.asked();
  }

  /** Every variable, read or not (for the settings of plug-ins, which read their own). */
  public Map<String, String> variables() {
    return Collections.unmodifiableMap(env);
  }

  /** Every variable read so far. */
  public Set<String> asked() {
    return Collections.unmodifiableSet(asked);
  }

  public String string(String name, String fallback) {
    asked.add(name);
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public String required(String name) {
    String value = string(name, null);
    if (value == null) {
      throw new ConfigException(name, "is required");
    }
    return value;
  }

  public int integer(String name, int fallback, int min, int max) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new ConfigException(
            name, "must be between " + min + " and " + max + ", not " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a whole number, not '" + value + "'");
    }
  }

  /**
   * {@code TOPIC_MIN_ISR}: {@code min.insync.replicas} of every topic a service creates, by default
   * 2 where the replication factor allows it (so an acknowledged write survives the loss of a
   * broker), never more than the replication factor.
   */
  public short topicMinIsr(short replication) {
    return (short) integer("TOPIC_MIN_ISR", Math.min(2, replication), 1, replication);
  }

  public boolean bool(String name, boolean fallback) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new ConfigException(name, "must be true or false, not '" + value + "'");
    }
  }

  /** An ISO-8601 duration such as {@code PT24H}, or a number of milliseconds. */
  public Duration duration(String name, Duration fallback) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return value.matches("\\d+")
          ? Duration.ofMillis(Long.parseLong(value))
          : Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          name, "must be an ISO-8601 duration (e.g. PT24H) or milliseconds, not '" + value + "'");
    }
  }

  /** A {@code host:port}, e.g. {@code APPLICATION_SERVER}. */
  public String hostAndPort(String name, String fallback) {
    String value = string(name, fallback);
    if (!value.matches("[^:/\\s]+:\\d{1,5}")) {
      throw new ConfigException(name, "must be host:port, not '" + value + "'");
    }
    return value;
  }

  /** A required http(s) URL, e.g. {@code SCHEMA_REGISTRY_URL}. */
  public String httpUrl(String name) {
    String value = required(name);
    if (!value.startsWith("http://") && !value.startsWith("https://")) {
      throw new ConfigException(name, "must be an http(s) URL, not '" + value + "'");
    }
    return value;
  }

  /** The base of every Kafka client's configuration: bootstrap servers plus the passthrough. */
  public static Properties clientProperties(String bootstrapServers, Properties passthrough) {
    Properties properties = new Properties();
    properties.putAll(passthrough);
    properties.put("bootstrap.servers", bootstrapServers);
    return properties;
  }

  /**
   * Every {@code KAFKA_*} variable but the named exceptions, as a Kafka client property: {@code
   * KAFKA_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}.
   */
  public Properties kafkaPassthrough(String... except) {
    Properties properties = new Properties();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("KAFKA_") && !java.util.List.of(except).contains(name)) {
            properties.put(
                name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                value);
          }
        });
    return properties;
  }
}
