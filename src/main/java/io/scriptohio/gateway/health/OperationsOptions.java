package io.scriptohio.gateway.health;

import io.scriptohio.gateway.config.Setting;
import io.scriptohio.gateway.config.SettingReader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * Settings of the operational side of the gateway: the health server, graceful shutdown and the
 * periodic backups of cached CFBD responses.
 *
 * @param healthPort port of the health server (liveness, readiness, details)
 * @param shutdownGracePeriod time between readiness turning 503 and the API server refusing new
 *     connections, so that load balancers stop sending traffic first
 * @param shutdownTimeout longest wait for in-flight API requests once the server stops accepting
 * @param backupInterval time between two backups of the cached CFBD responses; zero disables them
 * @param backupDir folder that receives one sub-folder per backup
 * @param backupRetention age after which a backup is deleted
 */
public record OperationsOptions(
    int healthPort,
    Duration shutdownGracePeriod,
    Duration shutdownTimeout,
    Duration backupInterval,
    Path backupDir,
    Duration backupRetention) {

  public static final int DEFAULT_HEALTH_CHECK_PORT = 8081;
  /** Five seconds cover a few readiness probes at the usual period of one to two seconds. */
  public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 5;
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_BACKUP_INTERVAL_SECONDS = 3600;
  public static final String DEFAULT_BACKUP_DIR = "backups";
  public static final int DEFAULT_BACKUP_RETENTION_DAYS = 7;

  /** Reads and validates the operational settings, recording problems on {@code reader}. */
  public static OperationsOptions from(SettingReader reader) {
    int healthPort = reader.intIn(Setting.HEALTH_CHECK_PORT, 0, 65535, DEFAULT_HEALTH_CHECK_PORT);
    int grace = reader.intIn(Setting.SHUTDOWN_GRACE_PERIOD, 0, 300, DEFAULT_SHUTDOWN_GRACE_SECONDS);
    int timeout = reader.intIn(Setting.SHUTDOWN_TIMEOUT, 1, 600, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
    int interval = reader.intIn(Setting.BACKUP_INTERVAL, 0, 7 * 24 * 3600,
        DEFAULT_BACKUP_INTERVAL_SECONDS);
    Path backupDir = Paths.get(reader.string(Setting.BACKUP_DIR, DEFAULT_BACKUP_DIR))
        .toAbsolutePath().normalize();
    int retentionDays = reader.intIn(Setting.BACKUP_RETENTION_DAYS, 1, 3650,
        DEFAULT_BACKUP_RETENTION_DAYS);
    return new OperationsOptions(healthPort, Duration.ofSeconds(grace), Duration.ofSeconds(timeout),
        Duration.ofSeconds(interval), backupDir, Duration.ofDays(retentionDays));
  }

  /** Returns whether the backup timer runs. */
  public boolean backupsEnabled() {
    return !backupInterval.isZero();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("healthPort", healthPort)
        .put("shutdownGracePeriodSeconds", shutdownGracePeriod.toSeconds())
        .put("shutdownTimeoutSeconds", shutdownTimeout.toSeconds())
        .put("backupIntervalSeconds", backupInterval.toSeconds())
        .put("backupDir", backupDir.toString())
        .put("backupRetentionDays", backupRetention.toDays());
  }
}
