package io.streamfold.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.command.it.Http;
import io.streamfold.devstack.SharedStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A zombie owner: one of two command-service processes is frozen (SIGSTOP) past the session
 * time-out while clients keep sending to it, the other takes its partitions over and writes, and
 * then the frozen one runs on (SIGCONT) with its open transactions and queued requests. Every
 * command that either instance acknowledged is in the log exactly once, and the zombie's
 * transactions are refused (fenced) rather than committed over the new owner's writes.
 */
class ZombieIT {
  private static final Pattern FENCED =
      Pattern.compile("(?m)^streamfold_writer_fenced_total\\S* (\\d+)");
  private static final Pattern FENCED_PREVIOUS =
      Pattern.compile("(?m)^streamfold_writer_previous_fenced_total\\S* (\\d+)");

  @Test
  void shouldFenceAPausedOwnerAndLoseOrDuplicateNothing() throws Exception {
    int pauses = Soak.count("zombie.pauses", 1, 5);
    int between = Soak.count("commands.between.kills", 300, 1500);
    try (Cluster cluster =
        Cluster.start(
            "zombie",
            SharedStack.broker().bootstrapServers(),
            SharedStack.registry().url(),
            2,
            1,
            Map.of())) {
      Ledger ledger = new Ledger();
      Workload everywhere =
          new Workload(
                  cluster::commandUrls,
                  ledger,
                  new Workload.Options(accounts("acct-"), 12, false, Duration.ofSeconds(120), 0.05))
              .start();
      ServiceProcess zombie = cluster.commands.get(0);
      ServiceProcess survivor = cluster.commands.get(1);
      long fenced = 0;
      long takeoversFenced = 0;
      for (int pause = 0; pause < pauses; pause++) {
        everywhere.awaitAnswered(between, Duration.ofMinutes(3));
        zombie.pause();
        // clients of the survivor alone: they see the hand-over, then the new owner's writes
        Workload survivorOnly =
            new Workload(
                    () -> List.of(survivor.url()),
                    ledger,
                    new Workload.Options(
                        accounts("paused" + pause + "-"), 4, false, Duration.ofSeconds(120), 0))
                .start();
        survivorOnly.awaitAnswered(between, Duration.ofMinutes(3));
        takeoversFenced = counter(survivor, FENCED_PREVIOUS);
        zombie.resume();
        everywhere.awaitAnswered(between, Duration.ofMinutes(3));
        survivorOnly.stop();
        fenced = counter(zombie, FENCED);
      }
      everywhere.stop();
      cluster.awaitReady(Duration.ofSeconds(120));

      Verdict.assertSound(
          "ZombieIT",
          SharedStack.broker().bootstrapServers(),
          SharedStack.registry().url(),
          cluster,
          ledger,
          everywhere,
          pauses
              + " pauses past the session time-out survived; "
              + fenced
              + " zombie rounds refused; the survivor fenced the paused instance's lanes "
              + takeoversFenced
              + " times (once per partition it took over)");
      assertThat(zombie.starts()).as("the zombie was never restarted").isEqualTo(1);
      assertThat(takeoversFenced)
          .as("the survivor fenced the paused instance, which had not released its partitions")
          .isPositive();
    }
  }

  private static List<String> accounts(String prefix) {
    return IntStream.range(0, 24).mapToObj(i -> prefix + i).toList();
  }

  /** A counter of the instance's metrics (0 if absent). */
  private static long counter(ServiceProcess instance, Pattern counter) {
    Matcher matcher = counter.matcher(Http.get(instance.url() + "/metrics").raw().body());
    return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
  }
}
