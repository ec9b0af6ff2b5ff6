package io.scriptohio.gateway.backup;

import io.scriptohio.gateway.cache.LocalResponseStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up the cached CFBD responses on a timer, so that a restarted or new gateway can serve them
 * offline when CFBD is down, and deletes backups past their retention.
 *
 * <p>The timer only schedules; writing and pruning run in {@code executeBlocking}. A backup that
 * is still running when the timer fires again is not started twice.
 */
public final class BackupVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BackupVerticle.class);

  private final LocalResponseStore store;
  private final Path backupDir;
  private final Duration interval;
  private final Duration retention;
  private final Clock clock;
  private final MeterRegistry registry;
  private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean();
  private long timerId = -1;
  private volatile Path lastSnapshot;

  /** Counter of backups by {@code result} ({@code success} or {@code failure}). */
  public static final String BACKUPS_METER = "script.ohio.backups";
  /** Gauge of the epoch second of the last backup that succeeded, 0 before the first. */
  public static final String LAST_SUCCESS_METER = "script.ohio.backup.last.success";

  public BackupVerticle(LocalResponseStore store, Path backupDir, Duration interval,
      Duration retention, Clock clock, MeterRegistry registry) {
    this.registry = registry;
    this.store = store;
    this.backupDir = backupDir;
    this.interval = interval;
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    Gauge.builder(LAST_SUCCESS_METER, lastSuccessEpochSeconds, AtomicLong::get)
        .baseUnit("seconds").register(registry);
    timerId = vertx.setPeriodic(interval.toMillis(), id -> backUp());
    LOG.info("Backups of cached CFBD responses every {} s into {}, kept {} days",
        interval.toSeconds(), backupDir, retention.toDays());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return Future.succeededFuture();
  }

  /** Returns the folder of the last snapshot written, or null before the first. */
  public Path lastSnapshot() {
    return lastSnapshot;
  }

  /** Writes one snapshot and prunes old ones now; completes with the snapshot folder. */
  public Future<Path> backUp() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(lastSnapshot);
    }
    return vertx.executeBlocking(() -> {
      var entries = store.entries();
      Path snapshot = Snapshots.write(entries, backupDir, clock.instant());
      List<Path> pruned = Snapshots.prune(backupDir, retention, clock.instant());
      LOG.info("Backed up {} cached CFBD responses to {}", entries.size(), snapshot);
      if (!pruned.isEmpty()) {
        LOG.info("Deleted {} backups older than {} days: {}", pruned.size(), retention.toDays(),
            pruned);
      }
      return snapshot;
    }, false).andThen(done -> {
      running.set(false);
      registry.counter(BACKUPS_METER, "result", done.succeeded() ? "success" : "failure")
          .increment();
      if (done.succeeded()) {
        lastSnapshot = done.result();
        lastSuccessEpochSeconds.set(clock.instant().getEpochSecond());
      } else {
        LOG.error("Backup of cached CFBD responses into {} failed; will retry in {} s", backupDir,
            interval.toSeconds(), done.cause());
      }
    });
  }
}
