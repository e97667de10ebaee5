package io.streamfold.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final AtomicLong now = new AtomicLong();
  final RateLimiter limiter = new RateLimiter(10, 3, now::get);

  @Test
  void shouldAdmitABurstThenTheRatePerPrincipal() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("alice")).isZero();
    }
    assertThat(limiter.acquire("alice")).as("bucket empty: retry after a second").isEqualTo(1);
    assertThat(limiter.acquire("bob")).as("buckets are per principal").isZero();
    now.addAndGet(100_000_000); // 100 ms: one token at 10/s
    assertThat(limiter.acquire("alice")).isZero();
    assertThat(limiter.acquire("alice")).isEqualTo(1);
    now.addAndGet(10_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("alice")).as("refilled to the burst, not beyond").isZero();
    }
    assertThat(limiter.acquire("alice")).isEqualTo(1);
  }

  @Test
  void shouldForgetIdleBucketsWhenManyPrincipalsCome() {
    for (int i = 0; i <= RateLimiter.PRUNE_ABOVE + 1; i++) {
      limiter.acquire("ip:" + i);
    }
    now.addAndGet(1_000_000_000L);
    limiter.acquire("late");
    assertThat(limiter.tracked()).isLessThan(10);
  }

  @Test
  void shouldTellWhetherATokenIsThereWithoutTakingIt() {
    assertThat(limiter.waitFor("carol")).as("never seen: a full bucket").isZero();
    for (int i = 0; i < 3; i++) {
      limiter.acquire("carol");
    }
    assertThat(limiter.waitFor("carol")).isEqualTo(1);
    now.addAndGet(100_000_000);
    assertThat(limiter.waitFor("carol")).isZero();
    assertThat(limiter.waitFor("carol")).as("looking takes nothing").isZero();
    assertThat(limiter.acquire("carol")).isZero();
    assertThat(limiter.waitFor("carol")).isEqualTo(1);
  }
}
