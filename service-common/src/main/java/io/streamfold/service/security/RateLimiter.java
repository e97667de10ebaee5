package io.streamfold.service.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal: {@code burst} requests at once, refilled at {@code ratePerSecond}.
 * Idle full buckets are dropped once the map grows, so unbounded client addresses cannot exhaust
 * memory.
 */
public final class RateLimiter {
  static final int PRUNE_ABOVE = 10_000;

  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  /**
   * Takes a token for {@code principal}.
   *
   * @return 0 when admitted, else the whole seconds until a token is due (for {@code Retry-After})
   */
  public long acquire(String principal) {
    long now = nanoClock.getAsLong();
    if (buckets.size() > PRUNE_ABOVE) {
      prune(now);
    }
    Bucket bucket = buckets.computeIfAbsent(principal, p -> new Bucket(burst, now));
    synchronized (bucket) {
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      double nanosToNext = (1 - bucket.tokens) / ratePerNano;
      return Math.max(1, (long) Math.ceil(nanosToNext / 1e9));
    }
  }

  /**
   * Whether {@code principal} has a token now, without taking it.
   *
   * @return 0 when it has, else the whole seconds until one is due
   */
  public long waitFor(String principal) {
    Bucket bucket = buckets.get(principal);
    if (bucket == null) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    synchronized (bucket) {
      refill(bucket, now);
      return bucket.tokens >= 1
          ? 0
          : Math.max(1, (long) Math.ceil((1 - bucket.tokens) / ratePerNano / 1e9));
    }
  }

  private void refill(Bucket bucket, long now) {
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * ratePerNano);
    bucket.refilledAt = now;
  }

  private void prune(long now) {
    buckets
        .entrySet()
        .removeIf(
            entry -> {
              synchronized (entry.getValue()) {
                refill(entry.getValue(), now);
                return entry.getValue().tokens >= burst;
              }
            });
  }

  int tracked() {
    return buckets.size();
  }
}
