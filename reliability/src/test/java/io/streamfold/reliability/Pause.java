package io.streamfold.reliability;

import java.time.Duration;

/** A sleep that keeps the interrupt, for the load and chaos threads' pacing. */
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
