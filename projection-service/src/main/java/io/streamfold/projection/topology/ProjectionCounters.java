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
  private volatile java.util.function.LongConsumer ages = age -> {};

  /**
   * Where the age of each applied event goes ({@link #applied}): the metrics' histogram, once
   * bound.
   */
  public void onApplied(java.util.function.LongConsumer ages) {
    this.ages = ages;
  }

  /**
   * An event was applied {@code ageMillis} after its timestamp (when its writer sent it): how fresh
   * the projections are, beside their lag in records.
   */
  public void applied(long ageMillis) {
    ages.accept(ageMillis);
  }

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
