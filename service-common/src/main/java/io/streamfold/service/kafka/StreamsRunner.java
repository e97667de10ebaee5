package io.streamfold.service.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaStreams} with the handlers set explicitly: state changes logged at INFO, a failed
 * stream thread replaced (its tasks restart from the last commit, which exactly-once makes safe).
 */
public final class StreamsRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

  private final KafkaStreams streams;
  private final List<Consumer<KafkaStreams.State>> listeners = new CopyOnWriteArrayList<>();

  public StreamsRunner(Topology topology, Properties config) {
    this.streams = new KafkaStreams(topology, config);
    streams.setStateListener(
        (now, before) -> {
          LOG.info("Kafka Streams {} -> {}", before, now);
          listeners.forEach(listener -> listener.accept(now));
        });
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("A stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
  }

  /**
   * The instance settings every Streamfold application has: its identity, exactly-once, and sizing.
   */
  public record Identity(
      String applicationId,
      String applicationServer,
      java.nio.file.Path stateDir,
      int standbyReplicas,
      int streamThreads,
      short replication,
      int commitIntervalMs) {}

  /**
   * Client settings plus the identity as Kafka Streams properties, with {@code exactly_once_v2}: a
   * zombie instance is fenced and every output commits with the input offsets.
   */
  public static Properties properties(Properties clientConfig, Identity identity) {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, identity.applicationId());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, identity.applicationServer());
    props.put(StreamsConfig.STATE_DIR_CONFIG, identity.stateDir().toString());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, identity.standbyReplicas());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, identity.streamThreads());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) identity.replication());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, identity.commitIntervalMs());
    // A crashed instance's partitions move after the session time-out: 10 s rather than the
    // consumer's 45 s; KAFKA_SESSION_TIMEOUT_MS and KAFKA_HEARTBEAT_INTERVAL_MS override it.
    props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    quickInternalTopics(props);
    return props;
  }

  /** What Kafka Streams waits after each internal topic it creates (see quickInternalTopics). */
  static final long INTERNAL_TOPICS_BACKOFF_MS = 10;

  /**
   * Kafka Streams 4.3 sleeps {@code retry.backoff.ms} after each internal topic it creates in a
   * batch, not once per round (KAFKA-21033): with the default 100 ms, a first start (a new
   * application id: every rebuild) waited a second for its ten changelog and repartition topics,
   * long enough for the second stream thread's join to force another rebalance. The group leader's
   * assignor reads that setting from the main consumer's configuration, so the main consumer's
   * backoff is 10 ms (a first retry sooner, growing to {@code retry.backoff.max.ms} as before); the
   * restore consumers, producers and admin client keep theirs. {@code
   * KAFKA_MAIN_CONSUMER_RETRY_BACKOFF_MS} overrides it.
   */
  private static void quickInternalTopics(Properties props) {
    props.putIfAbsent(
        StreamsConfig.mainConsumerPrefix(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG),
        INTERNAL_TOPICS_BACKOFF_MS);
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** Also tells {@code listener} every state Kafka Streams enters (on Kafka Streams' threads). */
  public void onStateChange(Consumer<KafkaStreams.State> listener) {
    listeners.add(listener);
  }

  public void start() {
    streams.start();
  }

  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Stops processing and leaves the consumer group, so the remaining instances take the partitions
   * over at once rather than after the session time-out (a crash still waits for it).
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }
}
