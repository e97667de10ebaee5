package io.streamfold.projection.topology;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the projections counted since this instance started: skipped duplicates, gaps, dead letters.
 */
public final class ProjectionCounters {
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();

  public void duplicate() {
    duplicates.incrementAndGet();
  }

  public void gap() {
    gaps.incrementAndGet();
  }

  public void deadLetter() {
    deadLetters.incrementAndGet();
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
