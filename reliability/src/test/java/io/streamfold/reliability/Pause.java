package io.streamfold.reliability;

import java.time.Duration;

/**
 * A sleep that keeps the interrupt, for schedules only: how long load runs, the interval between
 * kills, a client's back-off before a retry. Waiting for a condition uses Awaitility instead.
 */
final class Pause {
  private Pause() {}

  static void of(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
