package io.scriptohio.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalCoalescerTest {

  private final LocalCoalescer coalescer = new LocalCoalescer();

  @Test
  void coalesce_concurrentCallsShareOne() {
    AtomicInteger calls = new AtomicInteger();
    Promise<String> upstream = Promise.promise();
    List<Future<String>> waiters = new ArrayList<>();

    for (int i = 0; i < 100; i++) {
      waiters.add(coalescer.coalesce("k", () -> {
        calls.incrementAndGet();
        return upstream.future();
      }));
    }
    upstream.complete("body");

    assertThat(calls).hasValue(1);
    assertThat(waiters).allSatisfy(f -> assertThat(f.result()).isEqualTo("body"));
    assertThat(coalescer.joinedCount()).isEqualTo(99);
    assertThat(coalescer.inFlight()).isZero();
  }

  @Test
  void coalesce_failureReachesEveryWaiter() {
    Promise<String> upstream = Promise.promise();
    Future<String> first = coalescer.coalesce("k", upstream::future);
    Future<String> second = coalescer.coalesce("k", () -> Future.succeededFuture("other"));

    upstream.fail(new IllegalStateException("down"));

    assertThat(first.cause()).hasMessage("down");
    assertThat(second.cause()).hasMessage("down");
  }

  @Test
  void coalesce_newCallAfterCompletion() {
    AtomicInteger calls = new AtomicInteger();
    coalescer.coalesce("k", () -> Future.succeededFuture(calls.incrementAndGet()));
    Future<Integer> second = coalescer.coalesce("k", () -> Future.succeededFuture(calls.incrementAndGet()));

    assertThat(second.result()).isEqualTo(2);
  }

  @Test
  void coalesce_keysIndependent() {
    Promise<String> a = Promise.promise();
    Future<String> fa = coalescer.coalesce("a", a::future);
    Future<String> fb = coalescer.coalesce("b", () -> Future.succeededFuture("b"));

    assertThat(fb.result()).isEqualTo("b");
    assertThat(fa.isComplete()).isFalse();
  }
}
