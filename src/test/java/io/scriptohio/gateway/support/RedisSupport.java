package io.scriptohio.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.RedisServer;

/**
 * A real Redis server for tests: the one at {@code REDIS_URL} when that variable is set, otherwise
 * a server started from the embedded-redis jar on a free loopback port.
 */
public final class RedisSupport implements AutoCloseable {

  private final RedisServer embedded;
  private final String url;

  private RedisSupport(RedisServer embedded, String url) {
    this.embedded = embedded;
    this.url = url;
  }

  /** Uses {@code REDIS_URL} when set, else starts an embedded server. */
  public static RedisSupport start() {
    String external = System.getenv("REDIS_URL");
    if (external != null && !external.isBlank()) {
      return new RedisSupport(null, external);
    }
    return startEmbedded();
  }

  /** Starts a server this test owns, so that it can also stop it. */
  public static RedisSupport startEmbedded() {
    int port = Ports.free();
    try {
      RedisServer server = RedisServer.newRedisServer()
          .port(port)
          .setting("bind 127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .build();
      server.start();
      return new RedisSupport(server, "redis://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded Redis on port " + port, e);
    }
  }

  public String url() {
    return url;
  }

  /** Stops the embedded server; a no-op for an external one. */
  public void stop() {
    if (embedded != null && embedded.isActive()) {
      try {
        embedded.stop();
      } catch (IOException e) {
        throw new UncheckedIOException("could not stop embedded Redis", e);
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
