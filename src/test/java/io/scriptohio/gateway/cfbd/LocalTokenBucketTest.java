package io.scriptohio.gateway.cfbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalTokenBucketTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * SECOND);

  private LocalTokenBucket bucket(double intervalSeconds, int burst) {
    return new LocalTokenBucket(Duration.ofNanos((long) (intervalSeconds * SECOND)), burst, now::get);
  }

  @Test
  void reserve_burstThenPaced() {
    LocalTokenBucket bucket = bucket(0.5, 3);

    assertThat(bucket.reserve(10 * SECOND)).isZero();
    assertThat(bucket.reserve(10 * SECOND)).isZero();
    assertThat(bucket.reserve(10 * SECOND)).isZero();
    assertThat(bucket.reserve(10 * SECOND)).isEqualTo(SECOND / 2);
    assertThat(bucket.reserve(10 * SECOND)).isEqualTo(SECOND);
  }

  @Test
  void reserve_refillsOverTime() {
    LocalTokenBucket bucket = bucket(0.5, 2);
    bucket.reserve(SECOND);
    bucket.reserve(SECOND);

    now.addAndGet(SECOND / 2);

    assertThat(bucket.reserve(SECOND)).isZero();
    assertThat(bucket.reserve(SECOND)).isEqualTo(SECOND / 2);
  }

  @Test
  void reserve_neverSavesMoreThanBurst() {
    LocalTokenBucket bucket = bucket(0.5, 2);

    now.addAndGet(3600 * SECOND);

    assertThat(bucket.reserve(SECOND)).isZero();
    assertThat(bucket.reserve(SECOND)).isZero();
    assertThat(bucket.reserve(SECOND)).isEqualTo(SECOND / 2);
  }

  @Test
  void reserve_rejectsBeyondMaxWait() {
    LocalTokenBucket bucket = bucket(1.0, 1);
    assertThat(bucket.reserve(0)).isZero();

    assertThat(bucket.reserve(SECOND / 2)).isEqualTo(TokenBucket.REJECTED);
    // A rejection reserves nothing, so the next caller still waits one interval only.
    assertThat(bucket.reserve(2 * SECOND)).isEqualTo(SECOND);
  }

  @Test
  void reserve_rateHoldsOverLongRun() {
    LocalTokenBucket bucket = bucket(0.1, 5);
    long lastDue = 0;
    for (int i = 0; i < 1000; i++) {
      lastDue = now.get() + bucket.reserve(Long.MAX_VALUE);
    }

    // 5 calls at once, then one every 100 ms: the 1000th is due after 995 intervals.
    assertThat(lastDue - now.get()).isEqualTo(995 * SECOND / 10);
  }

  @Test
  void constructor_rejectsBadArguments() {
    assertThatThrownBy(() -> new LocalTokenBucket(Duration.ZERO, 1))
        .hasMessageContaining("interval must be positive");
    assertThatThrownBy(() -> new LocalTokenBucket(Duration.ofSeconds(1), 0))
        .hasMessageContaining("burst must be at least 1, got 0");
  }
}
