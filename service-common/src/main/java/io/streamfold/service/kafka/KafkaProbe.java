package io.streamfold.service.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, asked every two seconds in the background so that readiness
 * and request handlers read it without waiting. Kafka Streams stays RUNNING while its brokers are
 * gone (its clients just retry), so without this an instance would call itself ready, and accept
 * commands it cannot publish, through a broker outage.
 */
public final class KafkaProbe implements AutoCloseable {
  private static final Duration EVERY = Duration.ofSeconds(2);
  private static final int TIMEOUT_MS = 1500;

  private final Admin admin;
  private final java.util.concurrent.ScheduledExecutorService timer;
  private volatile boolean reachable;

  public KafkaProbe(Properties clientProperties) {
    Properties config = new Properties();
    config.putAll(clientProperties);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamfold-readiness-probe");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    this.admin = Admin.create(config);
    this.reachable = ask();
    this.timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "kafka-probe");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        () -> reachable = ask(), EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last answer, at most about two seconds old. */
  public boolean reachable() {
    return reachable;
  }

  private boolean ask() {
    try {
      return !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
          .nodes()
          .get(TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS)
          .isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception unreachable) {
      return false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
