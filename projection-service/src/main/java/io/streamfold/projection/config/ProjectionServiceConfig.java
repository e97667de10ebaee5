package io.streamfold.projection.config;

import io.streamfold.service.config.ConfigException;
import io.streamfold.service.config.Env;
import io.streamfold.service.config.PersonalDataSettings;
import io.streamfold.service.kafka.StreamsInstanceConfig;
import io.streamfold.service.security.SecuritySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The projection service's settings, from environment variables (see the README).
 *
 * @param applicationId the Kafka Streams application id; a new one (e.g. {@code -v2}) rebuilds the
 *     projections from the start of the event log
 * @param minInsyncReplicas {@code min.insync.replicas} of the internal topics (changelogs,
 *     repartition) and the dead-letter topic
 * @param commitIntervalMs how often the projections commit (the owner index trails by about this
 *     much)
 * @param cacheMaxBytes the record cache of the views and totals, shared by the stream threads:
 *     repeated changes to one key between commits reach RocksDB and the changelog once
 * @param httpThreads the most threads serving HTTP: reads are short and CPU-bound, so more threads
 *     than a few per core only compete with the stream threads (and, in one JVM, with the writers)
 * @param historyRetention how far back {@code asOf} reads reach
 * @param minVersionWait how long a {@code minVersion} read waits by default
 * @param minVersionMaxWait the longest wait a client may ask for
 * @param maxStandbyLag how many records a standby may trail and still answer when the active is
 *     gone
 * @param maxSubscribers how many event subscriptions ({@code GET /api/v1/events}) an instance
 *     serves at once, each with a consumer and a thread of its own
 * @param subscriberWriteTimeout how long a write to a subscriber that does not read may block
 *     before it is disconnected
 * @param catchUpStreamThreads the stream threads an instance runs while it catches up (a rebuild,
 *     or a restart far behind): more than {@code streamThreads} only then
 * @param catchUpLag how far behind (events, all partitions) an instance must start to catch up with
 *     {@code catchUpStreamThreads}; it goes back to {@code streamThreads} once it trails by at most
 *     a hundredth of this
 * @param storeMemoryBytes the RocksDB memory of every projection store of the instance together:
 *     one block cache, which their memtables are charged to as well (see {@code StoreMemory})
 */
public record ProjectionServiceConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    String httpHost,
    int httpPort,
    String advertisedServer,
    String applicationId,
    Path stateDir,
    String topicPrefix,
    short replication,
    short minInsyncReplicas,
    int standbyReplicas,
    int streamThreads,
    int commitIntervalMs,
    long cacheMaxBytes,
    int httpThreads,
    Duration historyRetention,
    Duration minVersionWait,
    Duration minVersionMaxWait,
    long maxStandbyLag,
    int maxSubscribers,
    Duration subscriberWriteTimeout,
    int catchUpStreamThreads,
    long catchUpLag,
    long storeMemoryBytes,
    Properties kafka,
    SecuritySettings security,
    PersonalDataSettings personalData)
    implements StreamsInstanceConfig {

  public static ProjectionServiceConfig fromEnv(Map<String, String> variables) {
    return fromEnv(new Env(variables));
  }

  /** The names of the variables this service reads (besides the {@code KAFKA_*} passthrough). */
  public static java.util.Set<String> variables() {
    return Env.variablesRead(ProjectionServiceConfig::fromEnv);
  }

  static ProjectionServiceConfig fromEnv(Env env) {
    int port = env.integer("HTTP_PORT", 8081, 0, 65535);
    String advertised = env.hostAndPort("APPLICATION_SERVER", "127.0.0.1:" + port);
    String registry = env.httpUrl("SCHEMA_REGISTRY_URL");
    short replication = (short) env.integer("TOPIC_REPLICATION_FACTOR", 1, 1, 32);
    Duration wait = env.duration("MIN_VERSION_WAIT", Duration.ofSeconds(2));
    Duration maxWait = env.duration("MIN_VERSION_MAX_WAIT", Duration.ofSeconds(30));
    if (wait.compareTo(maxWait) > 0) {
      throw new ConfigException(
          "MIN_VERSION_WAIT", "must not exceed MIN_VERSION_MAX_WAIT (" + maxWait + ")");
    }
    String prefix = env.string("TOPIC_PREFIX", "");
    return new ProjectionServiceConfig(
        env.required("KAFKA_BOOTSTRAP_SERVERS"),
        registry,
        env.string("HTTP_HOST", "0.0.0.0"),
        port,
        advertised,
        env.string("APPLICATION_ID", "streamfold-projections-v5"),
        Path.of(
            env.string(
                "STATE_DIR", System.getProperty("java.io.tmpdir") + "/streamfold-projections")),
        prefix,
        replication,
        env.topicMinIsr(replication),
        env.integer("NUM_STANDBY_REPLICAS", 0, 0, 10),
        env.integer("NUM_STREAM_THREADS", 1, 1, 64),
        env.integer("COMMIT_INTERVAL_MS", 1_000, 1, 60_000),
        env.integer("CACHE_MAX_BYTES", 32 << 20, 0, Integer.MAX_VALUE),
        env.integer(
            "HTTP_THREADS",
            Math.max(16, 8 * Runtime.getRuntime().availableProcessors()),
            8,
            10_000),
        env.duration("HISTORY_RETENTION", Duration.ofDays(90)),
        wait,
        maxWait,
        env.integer("MAX_STANDBY_LAG", 10_000, 0, Integer.MAX_VALUE),
        env.integer("MAX_SUBSCRIBERS", 200, 0, 10_000),
        env.duration("SUBSCRIBER_WRITE_TIMEOUT", Duration.ofSeconds(30)),
        env.integer("CATCH_UP_STREAM_THREADS", Runtime.getRuntime().availableProcessors(), 1, 64),
        env.integer("CATCH_UP_LAG", 100_000, 1, Integer.MAX_VALUE),
        (long) env.integer("STORE_MEMORY_MB", 256, 16, 1 << 20) << 20,
        env.kafkaPassthrough("KAFKA_BOOTSTRAP_SERVERS"),
        SecuritySettings.fromEnv(env),
        PersonalDataSettings.fromEnv(env, prefix));
  }

  @Override
  public Properties clientProperties() {
    return Env.clientProperties(bootstrapServers, kafka);
  }

  /** The event log of an aggregate type: {@code <prefix><collection>.events}. */
  public String eventsTopicOf(String collection) {
    return topicPrefix + collection + ".events";
  }

  /** Every view's poison events, with Kafka Streams' {@code __streams.errors.*} headers. */
  public String deadLetterTopic() {
    return topicPrefix + "projections.dlq";
  }
}
