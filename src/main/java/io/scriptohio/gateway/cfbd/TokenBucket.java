package io.scriptohio.gateway.cfbd;

/**
 * Admission control for upstream calls. Implementations decide how long a caller must wait for
 * its turn; the caller waits with a timer, never by sleeping a thread.
 *
 * <p>The gateway uses {@link LocalTokenBucket}. Replicas that share one CFBD key need a shared
 * implementation (for example a Redis script) behind this same interface.
 */
public interface TokenBucket {

  /** Reservation result that means the call would have to wait longer than allowed. */
  long REJECTED = -1L;

  /**
   * Reserves one token.
   *
   * @param maxWaitNanos the longest wait the caller accepts
   * @return nanoseconds to wait before calling (0 to call now), or {@link #REJECTED}, in which case
   *     nothing is reserved
   */
  long reserve(long maxWaitNanos);
}
