package io.scriptohio.gateway.health;

import io.scriptohio.gateway.cache.LocalResponseStore;
import io.scriptohio.gateway.cache.RedisResponseStore;
import io.scriptohio.gateway.cfbd.CfbdClient;
import io.scriptohio.gateway.cfbd.QuotaState;
import io.scriptohio.gateway.inference.InferenceDeployment;
import io.scriptohio.gateway.inference.ParityCheck;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * State of the running gateway that the health checks read. The gateway fills it in as its parts
 * start and flags the shutdown, and the health server only reads it. Fields are null until the part
 * they describe has started. Thread-safe.
 */
public final class GatewayState {

  private final long startedMillis = System.currentTimeMillis();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final AtomicBoolean httpListening = new AtomicBoolean();
  private volatile boolean offline;
  private volatile QuotaState quota;
  private volatile CfbdClient client;
  private volatile LocalResponseStore localStore;
  private volatile RedisResponseStore redisStore;
  private volatile InferenceDeployment inference;
  private volatile ParityCheck.Result parity;

  /** Marks the shutdown as started; returns false when it already was. */
  public boolean startShutdown() {
    return shuttingDown.compareAndSet(false, true);
  }

  public boolean shuttingDown() {
    return shuttingDown.get();
  }

  public void httpListening(boolean listening) {
    httpListening.set(listening);
  }

  public boolean httpListening() {
    return httpListening.get();
  }

  /** Records the CFBD side; {@code client} is null in offline mode. */
  public void cfbd(boolean offlineMode, QuotaState quotaState, CfbdClient cfbdClient) {
    this.offline = offlineMode;
    this.quota = quotaState;
    this.client = cfbdClient;
  }

  public boolean offline() {
    return offline;
  }

  public QuotaState quota() {
    return quota;
  }

  public CfbdClient client() {
    return client;
  }

  /** Records the cache tiers; {@code redis} is null without Redis. */
  public void cache(LocalResponseStore local, RedisResponseStore redis) {
    this.localStore = local;
    this.redisStore = redis;
  }

  public LocalResponseStore localStore() {
    return localStore;
  }

  public RedisResponseStore redisStore() {
    return redisStore;
  }

  public void inference(InferenceDeployment deployment) {
    this.inference = deployment;
  }

  public InferenceDeployment inference() {
    return inference;
  }

  public void parity(ParityCheck.Result result) {
    this.parity = result;
  }

  public ParityCheck.Result parity() {
    return parity;
  }

  public long startedMillis() {
    return startedMillis;
  }
}
