package io.scriptohio.gateway.cfbd;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * In-process token bucket: one token every {@code interval}, at most {@code burst} saved up.
 *
 * <p>It is kept as a single "theoretical arrival time" (the generic cell rate algorithm) rather
 * than a token count, so a reservation is one comparison and never needs a refill timer. Over
 * any window of length {@code t}, at most {@code burst + t / interval} reservations become due.
 * Thread-safe: reservations are serialised on this object.
 */
public final class LocalTokenBucket implements TokenBucket {

  private final long intervalNanos;
  private final long burstToleranceNanos;
  private final LongSupplier nanoTime;
  private long theoreticalArrival;

  public LocalTokenBucket(Duration interval, int burst) {
    this(interval, burst, System::nanoTime);
  }

  /** Creates a bucket that reads time from {@code nanoTime}, so tests can drive the clock. */
  public LocalTokenBucket(Duration interval, int burst, LongSupplier nanoTime) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    this.intervalNanos = interval.toNanos();
    this.burstToleranceNanos = (burst - 1) * intervalNanos;
    this.nanoTime = nanoTime;
    this.theoreticalArrival = nanoTime.getAsLong();
  }

  @Override
  public synchronized long reserve(long maxWaitNanos) {
    long now = nanoTime.getAsLong();
    long base = Math.max(theoreticalArrival, now);
    long wait = Math.max(0L, base - burstToleranceNanos - now);
    if (wait > maxWaitNanos) {
      return REJECTED;
    }
    theoreticalArrival = base + intervalNanos;
    return wait;
  }

  /** Returns the time between two tokens. */
  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }
}
