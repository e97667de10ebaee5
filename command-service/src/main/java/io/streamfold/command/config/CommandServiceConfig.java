package io.streamfold.command.config;

import io.streamfold.service.config.Env;
import io.streamfold.service.config.PersonalDataSettings;
import io.streamfold.service.config.Variables;
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
 * @param applicationId names the ownership group and prefixes the writers' transactional ids
 * @param stateDir where the partitions' local stores (RocksDB) live
 * @param partitions partitions of created topics; events, versions and idempotency always get the
 *     same count
 * @param replication replication factor of created topics
 * @param minInsyncReplicas {@code min.insync.replicas} of created topics
 * @param maxBatch the most commands one writer decides and commits in one transaction
 * @param lanes how many transactions an instance has in flight per aggregate type (its writers'
 *     lanes, each a transactional producer and a thread); more only when one lane's thread is busy
 * @param queueCapacity the most commands waiting for one partition's writer before 503
 * @param storeCacheMb the block cache shared by the instance's local stores
 * @param commandTimeout how long a request waits for its batch's commit before answering 504
 * @param idempotencyWindow how long command ids are remembered; retries must come within it
 * @param autoRegisterSchemas register schemas on first use (development) or require them registered
 * @param security authentication and rate limits of the HTTP API
 * @param personalData the data subjects' keys (crypto-shredding)
 * @param kafka every {@code KAFKA_*} variable passed through to all clients (TLS, SASL, …)
 * @param environment every variable, for the domains' own settings ({@link
 *     io.streamfold.command.CommandDomain#configure})
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
    short minInsyncReplicas,
    int maxBatch,
    int lanes,
    int queueCapacity,
    int storeCacheMb,
    Duration commandTimeout,
    Duration idempotencyWindow,
    boolean autoRegisterSchemas,
    Properties kafka,
    SecuritySettings security,
    PersonalDataSettings personalData,
    Variables environment) {

  public static CommandServiceConfig fromEnv(Map<String, String> variables) {
    return fromEnv(new Env(variables));
  }

  /** The names of the variables this service reads (besides the {@code KAFKA_*} passthrough). */
  public static java.util.Set<String> variables() {
    return Env.variablesRead(
        env -> {
          fromEnv(env);
          io.streamfold.command.CommandDomain.load().forEach(domain -> domain.configure(env));
        });
  }

  static CommandServiceConfig fromEnv(Env env) {
    int port = env.integer("HTTP_PORT", 8080, 0, 65535);
    String advertised = env.hostAndPort("APPLICATION_SERVER", "127.0.0.1:" + port);
    String registry = env.httpUrl("SCHEMA_REGISTRY_URL");
    short replication = (short) env.integer("TOPIC_REPLICATION_FACTOR", 1, 1, 32);
    String prefix = env.string("TOPIC_PREFIX", "");
    return new CommandServiceConfig(
        env.required("KAFKA_BOOTSTRAP_SERVERS"),
        registry,
        env.string("HTTP_HOST", "0.0.0.0"),
        port,
        advertised,
        env.string("APPLICATION_ID", "streamfold-commands"),
        Path.of(
            env.string("STATE_DIR", System.getProperty("java.io.tmpdir") + "/streamfold-commands")),
        prefix,
        env.integer("TOPIC_PARTITIONS", 6, 1, 10_000),
        replication,
        env.topicMinIsr(replication),
        env.integer("WRITER_MAX_BATCH", 500, 1, 100_000),
        env.integer("WRITER_LANES", 1, 1, 256),
        env.integer("WRITER_QUEUE_CAPACITY", 10_000, 1, 1_000_000),
        env.integer("STORE_CACHE_MB", 64, 8, 65_536),
        env.duration("COMMAND_TIMEOUT", Duration.ofSeconds(5)),
        env.duration("IDEMPOTENCY_WINDOW", Duration.ofHours(24)),
        env.bool("SCHEMA_AUTO_REGISTER", true),
        env.kafkaPassthrough("KAFKA_BOOTSTRAP_SERVERS"),
        SecuritySettings.fromEnv(env),
        PersonalDataSettings.fromEnv(env, prefix),
        new Variables(env.variables()));
  }

  /**
   * The base of every client's configuration: bootstrap servers plus the passed-through settings.
   */
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
        minInsyncReplicas,
        maxBatch,
        lanes,
        queueCapacity,
        storeCacheMb,
        commandTimeout,
        idempotencyWindow,
        autoRegisterSchemas,
        kafka,
        security,
        personalData,
        environment);
  }
}
