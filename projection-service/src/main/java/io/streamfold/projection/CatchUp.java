package io.streamfold.projection;

import io.streamfold.projection.config.ProjectionServiceConfig;
import io.streamfold.projection.query.ProjectionLag;
import io.streamfold.service.kafka.StreamsRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebuild profile: an instance that starts far behind its event logs (a rebuild under a new
 * application id, or a restart after a long stop), by at least {@code CATCH_UP_LAG} events, runs
 * {@code CATCH_UP_STREAM_THREADS} stream threads (one per core by default) instead of {@code
 * NUM_STREAM_THREADS}, and removes the extra ones once it trails by at most a hundredth of that
 * (Kafka Streams moves their tasks to the threads that stay, in one rebalance, during which reads
 * of those tasks answer 503). {@code caughtUpAt} in the status is set once it runs again after that
 * rebalance: a rebuild is ready for its readers when its lag is 0 and, if it caught up, {@code
 * caughtUpAt} is set ({@code ./streamfold projection rebuild} waits for both).
 *
 * <p>Why only then: a replay is bound by its stream thread (rebuilds of 2,000,000 events here ran
 * at a median of 44,039 events/s with one and 47,984 with two, on two cores shared with the broker;
 * README), while live traffic is a trickle per partition, where every further thread is one more
 * exactly-once transaction per commit and one more fetch at every write, taken from the command
 * path on the same cores.
 */
final class CatchUp {
  private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

  private final int threads;
  private final int usual;
  private final long behindAtStart;
  private final long endsAtLag;
  private volatile Instant ended;
  private volatile Thread watcher;

  /** How many times Kafka Streams entered RUNNING since the watch began; its own lock. */
  private final java.util.concurrent.atomic.AtomicLong rebalances =
      new java.util.concurrent.atomic.AtomicLong();

  private CatchUp(int threads, int usual, long behindAtStart, long endsAtLag) {
    this.threads = threads;
    this.usual = usual;
    this.behindAtStart = behindAtStart;
    this.endsAtLag = endsAtLag;
  }

  /**
   * Decides how many stream threads to start with, from the lag before the start, and sets them in
   * {@code streamsProperties}.
   */
  static CatchUp decide(ProjectionServiceConfig config, long behind, Properties streamsProperties) {
    int usual = config.streamThreads();
    boolean catchingUp = config.catchUpStreamThreads() > usual && behind >= config.catchUpLag();
    CatchUp catchUp =
        new CatchUp(
            catchingUp ? config.catchUpStreamThreads() : usual,
            usual,
            behind,
            config.catchUpLag() / 100);
    if (catchingUp) {
      streamsProperties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, catchUp.threads);
      LOG.info(
          "{} events behind: catching up with {} stream threads, then {}",
          behind,
          catchUp.threads,
          usual);
    }
    return catchUp;
  }

  /** The lag before the start, in all; 0 (no catching up) when it cannot be read. */
  static long behind(ProjectionLag lag) {
    try {
      return lag.snapshot().total();
    } catch (RuntimeException e) {
      LOG.warn("The lag could not be read before the start; starting with the usual threads", e);
      return 0;
    }
  }

  /**
   * While catching up, watches the lag every second and removes the extra stream threads once it is
   * small enough; nothing otherwise.
   */
  void watch(StreamsRunner runner, ProjectionLag lag) {
    if (threads <= usual) {
      return;
    }
    runner.onStateChange(
        state -> {
          if (state == KafkaStreams.State.RUNNING) {
            synchronized (rebalances) {
              rebalances.incrementAndGet();
              rebalances.notifyAll();
            }
          }
        });
    KafkaStreams streams = runner.streams();
    Thread thread = new Thread(() -> run(streams, lag), "catch-up");
    thread.setDaemon(true);
    watcher = thread;
    thread.start();
  }

  private void run(KafkaStreams streams, ProjectionLag lag) {
    try {
      while (true) {
        Thread.sleep(1_000);
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.PENDING_SHUTDOWN
            || state == KafkaStreams.State.NOT_RUNNING
            || state == KafkaStreams.State.ERROR) {
          return;
        }
        if (state != KafkaStreams.State.RUNNING) {
          continue;
        }
        long behind;
        try {
          behind = lag.snapshot().total();
        } catch (RuntimeException e) {
          continue; // the broker is away: ask again
        }
        if (behind <= endsAtLag) {
          long before = rebalances.get();
          int removed = 0;
          while (streams.metadataForLocalThreads().size() > usual
              && streams.removeStreamThread(Duration.ofMinutes(1)).isPresent()) {
            removed++;
          }
          if (removed > 0) {
            awaitRunningAfter(before);
          }
          ended = Instant.now();
          LOG.info(
              "Caught up ({} events behind): {} stream threads removed, {} running",
              behind,
              removed,
              streams.metadataForLocalThreads().size());
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // caught up all the same, with the threads it still has: say so, or a rebuild's caller
      // would wait for an end that never comes
      ended = Instant.now();
      LOG.warn("Could not go back to {} stream threads after catching up", usual, e);
    }
  }

  /**
   * Waits (up to a minute) until Kafka Streams runs again after the rebalance that hands the
   * removed threads' tasks over: until then, reads of those tasks' stores answer 503.
   */
  private void awaitRunningAfter(long before) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    synchronized (rebalances) {
      while (rebalances.get() == before && System.nanoTime() < deadline) {
        rebalances.wait(Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
      }
    }
  }

  /** For {@code GET /api/v1/status}: null when the instance did not start by catching up. */
  Map<String, Object> status() {
    if (threads <= usual) {
      return null;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("streamThreads", threads);
    status.put("behindAtStart", behindAtStart);
    status.put("endsAtLag", endsAtLag);
    status.put("caughtUpAt", ended == null ? null : ended.toString());
    return status;
  }

  void close() {
    Thread thread = watcher;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
