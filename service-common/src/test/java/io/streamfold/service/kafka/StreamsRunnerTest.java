package io.streamfold.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsRunnerTest {
  private static final StreamsRunner.Identity IDENTITY =
      new StreamsRunner.Identity(
          "app", "127.0.0.1:8081", Path.of("/tmp/state"), 0, 1, (short) 1, 100);

  private static StreamsConfig config(Properties clients) {
    clients.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    return new StreamsConfig(StreamsRunner.properties(clients, IDENTITY));
  }

  /** A client's backoff: the one its configuration gives, else the clients' default. */
  private static long clientBackoff(java.util.Map<String, Object> clientConfig) {
    Object set = clientConfig.get(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG);
    return set == null
        ? CommonClientConfigs.DEFAULT_RETRY_BACKOFF_MS
        : Long.parseLong(set.toString());
  }

  /** What the group leader's assignor, which creates the internal topics, reads it from. */
  private static long internalTopicsBackoff(StreamsConfig config) {
    return new StreamsConfig(config.getMainConsumerConfigs("app", "c", 0))
        .getLong(StreamsConfig.RETRY_BACKOFF_MS_CONFIG);
  }

  @Test
  void shouldWaitLittleBetweenInternalTopicsAndLeaveTheOtherClientsTheirBackoff() {
    StreamsConfig config = config(new Properties());

    // what InternalTopicManager sleeps after each topic it creates (KAFKA-21033)
    assertThat(internalTopicsBackoff(config)).isEqualTo(StreamsRunner.INTERNAL_TOPICS_BACKOFF_MS);
    long clients = CommonClientConfigs.DEFAULT_RETRY_BACKOFF_MS;
    assertThat(clientBackoff(config.getRestoreConsumerConfigs("c"))).isEqualTo(clients);
    assertThat(clientBackoff(config.getGlobalConsumerConfigs("c"))).isEqualTo(clients);
    assertThat(clientBackoff(config.getProducerConfigs("c"))).isEqualTo(clients);
    assertThat(clientBackoff(config.getAdminConfigs("c"))).isEqualTo(clients);
  }

  @Test
  void shouldGiveTheOtherClientsTheBackoffTheOperatorSet() {
    Properties clients = new Properties();
    clients.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, "250");
    StreamsConfig config = config(clients);

    assertThat(internalTopicsBackoff(config)).isEqualTo(StreamsRunner.INTERNAL_TOPICS_BACKOFF_MS);
    assertThat(clientBackoff(config.getRestoreConsumerConfigs("c"))).isEqualTo(250L);
    assertThat(clientBackoff(config.getProducerConfigs("c"))).isEqualTo(250L);
    assertThat(clientBackoff(config.getAdminConfigs("c"))).isEqualTo(250L);
  }

  @Test
  void shouldLeaveTheMainConsumerBackoffTheOperatorSetForIt() {
    Properties clients = new Properties();
    clients.put(
        StreamsConfig.mainConsumerPrefix(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG), "50");

    assertThat(internalTopicsBackoff(config(clients))).isEqualTo(50L);
  }
}
