package io.scriptohio.gateway.cfbd;

import io.micrometer.core.instrument.MeterRegistry;
import io.scriptohio.gateway.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the CFBD client and answers {@link #ADDRESS} with the body of one CFBD request.
 *
 * <p>Online, every call goes through the token bucket, the retries and the quota guard of
 * {@link CfbdClient}. Offline (no API key), the stored responses answer instead and nothing is
 * sent to CFBD. Failures are {@link GatewayFailure}s carried as reply failures. Deploy one
 * instance per process: the bucket and the quota state must see every call.
 */
public final class CfbdFetchVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CfbdFetchVerticle.class);

  /** Event-bus address: request a {@link CfbdRequest}, reply an {@link UpstreamBody}. */
  public static final String ADDRESS = "cfbd.fetch";

  private final CfbdOptions options;
  private final TokenBucket bucket;
  private final QuotaState quota;
  private final Duration maxQueueWait;
  private final Clock clock;
  private final Function<CfbdRequest, Future<Buffer>> snapshotLookup;
  private final MeterRegistry registry;
  private CfbdClient client;
  private MessageConsumer<CfbdRequest> consumer;

  /**
   * @param maxQueueWait longest wait for a bucket token before a call fails fast
   * @param snapshotLookup stored-response lookup used in offline mode (null body when not found)
   * @param registry receives the client's meters
   */
  public CfbdFetchVerticle(CfbdOptions options, TokenBucket bucket, QuotaState quota,
      Duration maxQueueWait, Clock clock, Function<CfbdRequest, Future<Buffer>> snapshotLookup,
      MeterRegistry registry) {
    this.options = options;
    this.bucket = bucket;
    this.quota = quota;
    this.maxQueueWait = maxQueueWait;
    this.clock = clock;
    this.snapshotLookup = snapshotLookup;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    if (options.offline()) {
      LOG.info("Offline mode: answering CFBD requests from stored responses in {}",
          options.mockDataPath());
    } else {
      client = new CfbdClient(vertx, options, bucket, quota, maxQueueWait, clock, registry);
      LOG.info("CFBD client ready for {} (bucket: 1 call every {} ms, burst {})",
          options.baseUrl(), options.rateLimitDelay().toMillis(), options.rateLimitBurst());
    }

    consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Returns the client, or null in offline mode. */
  public CfbdClient client() {
    return client;
  }

  private void handle(Message<CfbdRequest> message) {
    fetch(message.body()).onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        GatewayFailure.from(done.cause()).failMessage(message);
      }
    });
  }

  private Future<UpstreamBody> fetch(CfbdRequest request) {
    if (client != null) {
      return client.fetch(request).map(body -> new UpstreamBody(body, false));
    }
    return snapshotLookup.apply(request).compose(body -> {
      if (body == null) {
        return Future.failedFuture(new GatewayFailure(404, "Not Found",
            "No stored CFBD responses for /" + request.endpoint() + " in offline mode"));
      }
      return Future.succeededFuture(new UpstreamBody(body, true));
    });
  }
}
