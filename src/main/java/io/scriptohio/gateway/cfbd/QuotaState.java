package io.scriptohio.gateway.cfbd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the gateway knows about its monthly CFBD call quota. CFBD limits calls per key per month
 * (1,000 on the free tier), reports the calls left in {@code X-CallLimit-Remaining} and answers
 * 429 once they are gone, until {@code resetAt}. Thread-safe.
 */
public final class QuotaState {

  /** Value of the counters before CFBD has reported them. */
  public static final long UNKNOWN = -1L;

  private final Clock clock;
  private final AtomicLong remainingCalls = new AtomicLong(UNKNOWN);
  private final AtomicLong monthlyLimit = new AtomicLong(UNKNOWN);
  private final AtomicReference<Instant> exhaustedUntil = new AtomicReference<>(Instant.MIN);

  public QuotaState(Clock clock) {
    this.clock = clock;
  }

  public void recordRemaining(long remaining) {
    remainingCalls.set(remaining);
  }

  public void recordMonthlyLimit(long limit) {
    monthlyLimit.set(limit);
  }

  /** Marks the quota as used up until {@code resetAt}; no upstream call is made before then. */
  public void markExhausted(Instant resetAt) {
    remainingCalls.set(0);
    exhaustedUntil.set(resetAt);
  }

  /** Returns the time left until the quota resets, or zero when calls are allowed. */
  public Duration blockedFor() {
    Duration left = Duration.between(clock.instant(), exhaustedUntil.get());
    return left.isNegative() ? Duration.ZERO : left;
  }

  public boolean exhausted() {
    return !blockedFor().isZero();
  }

  public long remainingCalls() {
    return remainingCalls.get();
  }

  public long monthlyLimit() {
    return monthlyLimit.get();
  }

  public Instant exhaustedUntil() {
    return exhaustedUntil.get();
  }
}
