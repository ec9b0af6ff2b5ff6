package io.scriptohio.gateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bare vertx-web server that responds to every {@code GET} with one fixed JSON body: the ceiling
 * that the gateway's cached responses are measured against.
 *
 * <p>It deploys one HTTP verticle per core on 127.0.0.1, as the gateway deploys its API
 * verticles, and keeps the response headers the gateway's hot path also sends
 * ({@code Content-Type} and {@code Content-Length}), so the difference measures the gateway's
 * own work per request: routing, validation, the event-bus hop to the cache and its headers.
 *
 * <p>Usage: {@code CeilingServer PORT BODY_FILE}. The body is read once at start-up.
 */
public final class CeilingServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CeilingServer.class);

  private final int port;
  private final Buffer body;

  private CeilingServer(int port, Buffer body) {
    this.port = port;
    this.body = body;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get().handler(context -> context.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body));

    return vertx.createHttpServer(new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setTcpNoDelay(true)
            .setCompressionSupported(false))
        .requestHandler(router)
        .listen();
  }

  /**
   * Starts the server and keeps it running until the process is stopped.
   *
   * @param args the port and the file whose bytes every response carries
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("Usage: CeilingServer PORT BODY_FILE");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
    int instances = Runtime.getRuntime().availableProcessors();

    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new CeilingServer(port, body),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> LOG.info("Ceiling server listening on 127.0.0.1:{} with {} verticles "
            + "and a {}-byte body", port, instances, body.length()))
        .onFailure(failure -> {
          LOG.error("Ceiling server failed to start on 127.0.0.1:{}", port, failure);
          System.exit(1);
        });
  }
}
