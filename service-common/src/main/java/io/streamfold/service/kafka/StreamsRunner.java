package io.streamfold.service.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
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

  public StreamsRunner(Topology topology, Properties config) {
    this.streams = new KafkaStreams(topology, config);
    streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("A stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
  }

  public KafkaStreams streams() {
    return streams;
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
