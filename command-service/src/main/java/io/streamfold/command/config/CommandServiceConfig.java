package io.streamfold.command.config;

import io.streamfold.service.config.Env;
import io.streamfold.service.kafka.StreamsInstanceConfig;
import io.streamfold.service.security.SecuritySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The command service's settings, from environment variables (see the README's configuration
 * table).
 *
 * @param advertisedServer {@code host:port} other instances use to reach this one ({@code
 *     application.server})
 * @param partitions partitions of created topics; commands and events always get the same count
 * @param replication replication factor of created topics and internal topics
 * @param commitIntervalMs how often the processor commits its transaction: the floor of a command's
 *     latency when idle, and the batch size under load
 * @param pollMs how long a stream thread blocks polling for commands before it checks for a due
 *     commit
 * @param commandTimeout how long the gateway waits for an outcome before answering 504
 * @param idempotencyWindow how long command ids are remembered; retries must come within it
 * @param autoRegisterSchemas register schemas on first use (development) or require them registered
 * @param security authentication and rate limits of the HTTP API
 * @param kafka every {@code KAFKA_*} variable passed through to all clients (TLS, SASL, …)
 */
public record CommandServiceConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    String httpHost,
    int httpPort,
    String advertisedServer,
    String applicationId,
    Path stateDir,
    String topicPrefix,
    int partitions,
    short replication,
    int standbyReplicas,
    int streamThreads,
    int commitIntervalMs,
    int pollMs,
    Duration commandTimeout,
    Duration idempotencyWindow,
    boolean autoRegisterSchemas,
    Properties kafka,
    SecuritySettings security)
    implements StreamsInstanceConfig {

  public static CommandServiceConfig fromEnv(Map<String, String> variables) {
    return fromEnv(new Env(variables));
  }

  /** The names of the variables this service reads (besides the {@code KAFKA_*} passthrough). */
  public static java.util.Set<String> variables() {
    return Env.variablesRead(CommandServiceConfig::fromEnv);
  }

  static CommandServiceConfig fromEnv(Env env) {
    int port = env.integer("HTTP_PORT", 8080, 0, 65535);
    String advertised = env.hostAndPort("APPLICATION_SERVER", "127.0.0.1:" + port);
    String registry = env.httpUrl("SCHEMA_REGISTRY_URL");
    return new CommandServiceConfig(
        env.required("KAFKA_BOOTSTRAP_SERVERS"),
        registry,
        env.string("HTTP_HOST", "0.0.0.0"),
        port,
        advertised,
        env.string("APPLICATION_ID", "streamfold-commands"),
        Path.of(
            env.string("STATE_DIR", System.getProperty("java.io.tmpdir") + "/streamfold-commands")),
        env.string("TOPIC_PREFIX", ""),
        env.integer("TOPIC_PARTITIONS", 6, 1, 10_000),
        (short) env.integer("TOPIC_REPLICATION_FACTOR", 1, 1, 32),
        env.integer("NUM_STANDBY_REPLICAS", 0, 0, 10),
        env.integer("NUM_STREAM_THREADS", 1, 1, 64),
        env.integer("COMMIT_INTERVAL_MS", 20, 1, 60_000),
        env.integer("STREAMS_POLL_MS", 5, 1, 10_000),
        env.duration("COMMAND_TIMEOUT", Duration.ofSeconds(5)),
        env.duration("IDEMPOTENCY_WINDOW", Duration.ofHours(24)),
        env.bool("SCHEMA_AUTO_REGISTER", true),
        env.kafkaPassthrough("KAFKA_BOOTSTRAP_SERVERS"),
        SecuritySettings.fromEnv(env));
  }

  /**
   * The base of every client's configuration: bootstrap servers plus the passed-through settings.
   */
  @Override
  public Properties clientProperties() {
    return Env.clientProperties(bootstrapServers, kafka);
  }

  /** The same settings with some changed, for tests and embedding. */
  public CommandServiceConfig withHttpPort(int port, String advertised) {
    return new CommandServiceConfig(
        bootstrapServers,
        schemaRegistryUrl,
        httpHost,
        port,
        advertised,
        applicationId,
        stateDir,
        topicPrefix,
        partitions,
        replication,
        standbyReplicas,
        streamThreads,
        commitIntervalMs,
        pollMs,
        commandTimeout,
        idempotencyWindow,
        autoRegisterSchemas,
        kafka,
        security);
  }
}
