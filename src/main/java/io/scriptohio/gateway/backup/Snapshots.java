package io.scriptohio.gateway.backup;

import io.scriptohio.gateway.cache.CachedResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes, verifies and restores snapshots of cached CFBD responses.
 *
 * <p>A snapshot is a folder in the layout of stored CFBD responses that {@code MOCK_DATA_PATH}
 * reads ({@code <endpoint>/<query>.json}, bodies unchanged) plus {@code INDEX.json}, which lists
 * every file with its endpoint, query, size and sha256. It is written into a temporary folder and
 * renamed into place, so a reader never sees half a snapshot. Every method does file I/O: call
 * them off the event loop.
 */
public final class Snapshots {

  /** Name of the index that lists every file of a snapshot with its checksum. */
  public static final String INDEX = "INDEX.json";
  /** Prefix of snapshot folders; the rest of the name is the UTC time of the snapshot. */
  public static final String PREFIX = "snapshot-";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private Snapshots() {
  }

  /**
   * Writes the CFBD entries of the cache as a new snapshot under {@code backupDir}.
   *
   * @param entries cache entries by {@code CfbdRequest.cacheKey()} ({@code endpoint?query})
   * @return the snapshot folder
   */
  public static Path write(Map<String, CachedResponse> entries, Path backupDir, Instant now) {
    String name = PREFIX + STAMP.format(now);
    Path target = backupDir.resolve(name);
    Path temporary = backupDir.resolve("." + name + ".tmp");
    try {
      Files.createDirectories(backupDir);
      deleteTree(temporary);
      Files.createDirectories(temporary);

      JsonArray files = new JsonArray();
      for (Map.Entry<String, CachedResponse> entry : new TreeMap<>(entries).entrySet()) {
        String key = entry.getKey();
        int question = key.indexOf('?');
        String endpoint = question < 0 ? key : key.substring(0, question);
        String query = question < 0 ? "" : key.substring(question + 1);
        if (query.isEmpty()) {
          // NOTE: a request without parameters has no file name in this layout; none of the
          // endpoints the gateway uses is called that way.
          continue;
        }
        String relative = endpoint + "/" + query + ".json";
        byte[] body = entry.getValue().body().getBytes();
        Path file = temporary.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, body);
        files.add(new JsonObject()
            .put("file", relative)
            .put("endpoint", "/" + endpoint)
            .put("query", query)
            .put("bytes", body.length)
            .put("sha256", sha256(body)));
      }
      JsonObject index = new JsonObject()
          .put("createdAt", now.toString())
          .put("description", "Cached CFBD responses written by Script Ohio Gateway; "
              + "'file' is relative to this folder, sha256 is of the file bytes.")
          .put("files", files);
      Files.writeString(temporary.resolve(INDEX), index.encodePrettily());
      move(temporary, target);
      return target;
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new SnapshotException("Writing snapshot " + target + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Checks every file of a snapshot against its index.
   *
   * @return the number of files checked
   * @throws SnapshotException naming the first missing, unlisted or altered file
   */
  public static int verify(Path snapshot) {
    JsonObject index = readIndex(snapshot);
    JsonArray files = index.getJsonArray("files", new JsonArray());
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      JsonObject entry = files.getJsonObject(i);
      String relative = entry.getString("file");
      Path file = snapshot.resolve(relative).normalize();
      if (!file.startsWith(snapshot.normalize()) || !insideRealPath(snapshot, file)) {
        throw new SnapshotException("Snapshot " + snapshot + " rejected: " + INDEX
            + " lists " + relative + ", which lies outside the snapshot");
      }
      if (!Files.isRegularFile(file)) {
        throw new SnapshotException("Snapshot " + snapshot + " rejected: " + relative
            + " is listed in " + INDEX + " but missing");
      }
      String actual = sha256(readAllBytes(file));
      if (!actual.equals(entry.getString("sha256"))) {
        throw new SnapshotException("Snapshot " + snapshot + " rejected: " + relative
            + " has sha256 " + actual + " but " + INDEX + " records " + entry.getString("sha256"));
      }
      listed.add(relative);
    }

    for (String relative : listedCandidates(snapshot)) {
      if (!listed.contains(relative)) {
        throw new SnapshotException("Snapshot " + snapshot + " rejected: " + relative
            + " is not listed in " + INDEX);
      }
    }
    return listed.size();
  }

  /**
   * Verifies a snapshot and copies its files into {@code target}, the folder a gateway then reads
   * as {@code MOCK_DATA_PATH}. Each file is written to a temporary name and renamed.
   *
   * @return the number of files restored
   * @throws SnapshotException when the snapshot fails verification or {@code target} is not empty;
   *     nothing is copied then
   */
  public static int restore(Path snapshot, Path target) {
    int count = verify(snapshot);
    JsonArray files = readIndex(snapshot).getJsonArray("files", new JsonArray());
    try {
      if (Files.isDirectory(target)) {
        try (Stream<Path> children = Files.list(target)) {
          if (children.findAny().isPresent()) {
            // Restoring over older files would serve a mix of two snapshots.
            throw new SnapshotException("Restoring " + snapshot + " rejected: " + target
                + " is not empty; restore into a new or empty folder");
          }
        }
      }
      Files.createDirectories(target);
      for (int i = 0; i < files.size(); i++) {
        String relative = files.getJsonObject(i).getString("file");
        Path destination = target.resolve(relative);
        Files.createDirectories(destination.getParent());
        Path temporary = destination.resolveSibling("." + destination.getFileName() + ".tmp");
        Files.copy(snapshot.resolve(relative), temporary, StandardCopyOption.REPLACE_EXISTING);
        move(temporary, destination);
      }
      Files.copy(snapshot.resolve(INDEX), target.resolve(INDEX), StandardCopyOption.REPLACE_EXISTING);
      return count;
    } catch (IOException e) {
      throw new SnapshotException("Restoring " + snapshot + " into " + target + " failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * Deletes the snapshots under {@code backupDir} older than {@code retention}, judged by the
   * time in their names.
   *
   * @return the deleted folders
   */
  public static List<Path> prune(Path backupDir, Duration retention, Instant now) {
    List<Path> deleted = new ArrayList<>();
    if (!Files.isDirectory(backupDir)) {
      return deleted;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(backupDir, PREFIX + "*")) {
      for (Path child : children) {
        Instant created = createdAt(child);
        if (created != null && created.isBefore(now.minus(retention))) {
          deleteTree(child);
          deleted.add(child);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Pruning backups in " + backupDir + " failed", e);
    }
    return deleted;
  }

  /** Returns the newest snapshot under {@code backupDir}, or null. */
  public static Path latest(Path backupDir) {
    if (!Files.isDirectory(backupDir)) {
      return null;
    }
    try (Stream<Path> children = Files.list(backupDir)) {
      return children.filter(child -> createdAt(child) != null)
          .max(Comparator.comparing(Snapshots::createdAt))
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("Listing backups in " + backupDir + " failed", e);
    }
  }

  private static Instant createdAt(Path folder) {
    String name = folder.getFileName().toString();
    if (!name.startsWith(PREFIX) || !Files.isDirectory(folder)) {
      return null;
    }
    try {
      return Instant.from(STAMP.parse(name.substring(PREFIX.length())));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static JsonObject readIndex(Path snapshot) {
    Path index = snapshot.resolve(INDEX);
    if (!Files.isRegularFile(index)) {
      throw new SnapshotException("Snapshot " + snapshot + " rejected: " + INDEX + " is missing");
    }
    try {
      return new JsonObject(Files.readString(index, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new SnapshotException("Snapshot " + snapshot + " rejected: " + INDEX
          + " is not readable JSON (" + e.getMessage() + ")", e);
    }
  }

  /** Returns every file of the snapshot but the index, links included, as relative paths. */
  private static List<String> listedCandidates(Path snapshot) {
    try (Stream<Path> walk = Files.walk(snapshot)) {
      return walk.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
          .map(file -> snapshot.relativize(file).toString().replace('\\', '/'))
          .filter(relative -> !relative.equals(INDEX))
          .toList();
    } catch (IOException e) {
      throw new SnapshotException("Reading snapshot " + snapshot + " failed: " + e.getMessage(), e);
    }
  }

  /** Returns whether {@code file}, with every link resolved, still lies inside the snapshot. */
  private static boolean insideRealPath(Path snapshot, Path file) {
    if (!Files.exists(file)) {
      return true;
    }
    try {
      return file.toRealPath().startsWith(snapshot.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] readAllBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SnapshotException("Reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static void move(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void deleteQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException ignored) {
      // The temporary folder is recreated on the next attempt.
    }
  }
}
