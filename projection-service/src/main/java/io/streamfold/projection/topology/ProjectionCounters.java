package io.streamfold.projection.topology;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the projections counted since this instance started: skipped duplicates, gaps, dead letters,
 * gaps filled late.
 */
public final class ProjectionCounters {
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong filled = new AtomicLong();

  public void duplicate() {
    duplicates.incrementAndGet();
  }

  public void gap() {
    gaps.incrementAndGet();
  }

  public void deadLetter() {
    deadLetters.incrementAndGet();
  }

  /** A missing version arrived late (a replayed dead letter) and filled its gap. */
  public void fill() {
    filled.incrementAndGet();
  }

  public long filled() {
    return filled.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  public long gaps() {
    return gaps.get();
  }

  public long deadLetters() {
    return deadLetters.get();
  }
}
