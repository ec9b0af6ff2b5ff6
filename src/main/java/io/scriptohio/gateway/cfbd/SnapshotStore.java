package io.scriptohio.gateway.cfbd;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only store of CFBD responses saved as files, the layout that {@code MOCK_DATA_PATH} points
 * to: {@code <root>/<endpoint path>/<query string>.json}, for example
 * {@code games/year=2025&week=12&seasonType=regular&classification=fbs.json} for
 * {@code GET /games?year=2025&week=12&seasonType=regular&classification=fbs}.
 *
 * <p>A request is answered from the file with the same endpoint and parameters when there is
 * one. Otherwise the store combines every file of the endpoint whose own parameters do not
 * contradict the request and filters their records the way CFBD would, so a whole-season query
 * is answered from the week files. Files are ordered by year, season type (regular before
 * postseason) and week, a file without one of these parameters after those with it, and a record
 * already taken from an earlier file is not repeated.
 *
 * <p>Only {@code games}, {@code lines}, {@code stats/game/advanced}, {@code talent} and
 * {@code teams/fbs} records are filtered. For any other endpoint a file answers only a request
 * with the same parameters, compared as CFBD compares them. A request parameter that the files do
 * not fix and that the endpoint's records have no field for is ignored.
 *
 * <p>The tree is scanned once by {@link #open(Path)}; files added later are not seen. File
 * contents are read on demand and kept in a cache bounded by {@link #MAX_CACHED_BYTES}.
 *
 * <p>Thread safety: instances are safe for concurrent use. Every method that reads files blocks,
 * so callers on an event loop must run them through {@code executeBlocking} or a worker
 * verticle; {@link SnapshotDataSource} does that.
 */
public final class SnapshotStore {

  /** Upper bound, in bytes, of the file contents kept in memory across all endpoints. */
  public static final long MAX_CACHED_BYTES = 256L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

  private static final String SUFFIX = ".json";
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");

  private static final Comparator<StoredFile> FILE_ORDER = Comparator
      .comparingLong((StoredFile file) -> integerParam(file, "year"))
      .thenComparingInt(file -> seasonTypeRank(file.request().param("seasonType")))
      .thenComparingLong(file -> integerParam(file, "week"))
      .thenComparing(file -> file.request().cacheKey());

  private final Path root;
  private final Map<String, List<StoredFile>> filesByEndpoint;
  private final Map<CfbdRequest, StoredFile> filesByRequest;
  private final Cache<Path, byte[]> contents;

  private SnapshotStore(Path root, List<StoredFile> files) {
    this.root = root;

    Map<String, List<StoredFile>> byEndpoint = new TreeMap<>();
    Map<CfbdRequest, StoredFile> byRequest = new HashMap<>();
    for (StoredFile file : files) {
      byEndpoint.computeIfAbsent(file.request().endpoint(), endpoint -> new ArrayList<>()).add(file);
      byRequest.put(file.request(), file);
    }
    byEndpoint.replaceAll((endpoint, list) -> {
      list.sort(FILE_ORDER);
      return List.copyOf(list);
    });
    this.filesByEndpoint = Collections.unmodifiableMap(byEndpoint);
    this.filesByRequest = Map.copyOf(byRequest);

    this.contents = Caffeine.newBuilder()
        .maximumWeight(MAX_CACHED_BYTES)
        .weigher((Path path, byte[] bytes) -> bytes.length)
        .build();
  }

  /**
   * Scans a directory of stored CFBD responses. Blocks while it walks the tree.
   *
   * <p>Files directly under {@code root} (such as {@code INDEX.json}) and files whose names are
   * not a query string ({@code year=2024.asof-before-postseason.json}: {@code year} must be an
   * integer) are skipped with a debug log line.
   *
   * @throws IllegalArgumentException if {@code root} is not a directory
   * @throws UncheckedIOException if the tree cannot be read
   */
  public static SnapshotStore open(Path root) {
    Path normalized = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(normalized)) {
      throw new IllegalArgumentException("CFBD snapshot directory not found or not a directory: " + normalized
          + "; set MOCK_DATA_PATH to a folder laid out as <endpoint path>/<query string>.json");
    }

    List<StoredFile> files = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(normalized)) {
      paths.filter(Files::isRegularFile)
          .sorted()
          .forEach(path -> toStoredFile(normalized, path).ifPresent(files::add));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to scan CFBD snapshot directory " + normalized, e);
    }

    SnapshotStore store = new SnapshotStore(normalized, files);
    LOG.info("Opened CFBD snapshot store {}: {} files for {} endpoints", normalized, files.size(),
        store.filesByEndpoint.size());
    return store;
  }

  /** Returns the scanned directory. */
  public Path root() {
    return root;
  }

  /** Returns the endpoints (paths without a leading slash) that have at least one stored file. */
  public Set<String> endpoints() {
    return filesByEndpoint.keySet();
  }

  /** Returns whether the endpoint, given without a leading slash, has at least one stored file. */
  public boolean covers(String endpoint) {
    return filesByEndpoint.containsKey(new CfbdRequest(endpoint, Map.of()).endpoint());
  }

  /**
   * Returns the response body for a request. Blocks while it reads files.
   *
   * <p>When a file has the request's endpoint and parameters (in any order), its bytes are
   * returned unchanged. Otherwise the records that the other files of the endpoint contain for the
   * request are encoded as a compact JSON array, {@code []} when none match.
   *
   * @return the body, or empty when the endpoint has no stored file at all
   * @throws UncheckedIOException if a stored file cannot be read
   */
  public Optional<Buffer> body(CfbdRequest request) {
    StoredFile exact = filesByRequest.get(request);
    if (exact != null) {
      return Optional.of(Buffer.buffer(read(exact)));
    }
    if (!covers(request.endpoint())) {
      return Optional.empty();
    }
    return Optional.of(new JsonArray(combine(request)).toBuffer());
  }

  /**
   * Returns the records for a request, decoded: the same records that {@link #body(CfbdRequest)}
   * encodes. Blocks while it reads files. The array is a new copy that the caller may modify.
   *
   * @return the records, or an empty array when nothing matches or the endpoint has no files
   * @throws UncheckedIOException if a stored file cannot be read
   */
  public JsonArray records(CfbdRequest request) {
    StoredFile exact = filesByRequest.get(request);
    if (exact != null) {
      return new JsonArray(Buffer.buffer(read(exact)));
    }
    if (!covers(request.endpoint())) {
      return new JsonArray();
    }
    return new JsonArray(combine(request));
  }

  private List<Object> combine(CfbdRequest request) {
    List<StoredFile> candidates = filesByEndpoint.get(request.endpoint()).stream()
        .filter(file -> answers(file.request(), request))
        .toList();

    // Records are only compared across files: a file may list a record twice, as CFBD did for
    // some talent tables, and that is kept.
    boolean dedupe = candidates.size() > 1;
    List<Object> combined = new ArrayList<>();
    Set<String> seenInEarlierFiles = new HashSet<>();
    for (StoredFile file : candidates) {
      JsonArray records = new JsonArray(Buffer.buffer(read(file)));
      List<String> seenInThisFile = new ArrayList<>();
      for (JsonObject record : RecordFilter.apply(request, file.request().params(), records)) {
        if (dedupe) {
          String encoded = record.encode();
          if (seenInEarlierFiles.contains(encoded)) {
            continue;
          }
          seenInThisFile.add(encoded);
        }
        combined.add(record);
      }
      seenInEarlierFiles.addAll(seenInThisFile);
    }
    return combined;
  }

  /** Returns whether a stored file's parameters leave it able to contribute to the request. */
  private static boolean answers(CfbdRequest stored, CfbdRequest request) {
    Map<String, String> storedParams = stored.params();
    Map<String, String> requestParams = request.params();
    if (!RecordFilter.filters(request.endpoint()) && !storedParams.keySet().equals(requestParams.keySet())) {
      return false;
    }
    for (Map.Entry<String, String> param : requestParams.entrySet()) {
      String storedValue = storedParams.get(param.getKey());
      if (storedValue != null && !RecordFilter.sameValue(param.getKey(), param.getValue(), storedValue)) {
        return false;
      }
    }
    return true;
  }

  private byte[] read(StoredFile file) {
    return contents.get(file.path(), path -> {
      try {
        return Files.readAllBytes(path);
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to read CFBD snapshot file " + path, e);
      }
    });
  }

  private static Optional<StoredFile> toStoredFile(Path root, Path path) {
    String fileName = path.getFileName().toString();
    Path parent = root.relativize(path).getParent();
    if (parent == null || !fileName.endsWith(SUFFIX)) {
      LOG.debug("Skipping {}: not a response file under an endpoint folder", path);
      return Optional.empty();
    }

    String endpoint = parent.toString().replace(path.getFileSystem().getSeparator(), "/");
    String query = fileName.substring(0, fileName.length() - SUFFIX.length());
    Optional<Map<String, String>> params = parseQuery(query);
    if (params.isEmpty()) {
      LOG.debug("Skipping {}: file name is not a query string of name=value pairs", path);
      return Optional.empty();
    }
    return Optional.of(new StoredFile(path, new CfbdRequest(endpoint, params.get())));
  }

  /**
   * Parses a file name stem as a query string. Rejects empty names or values, repeated names,
   * invalid percent escapes and non-integer values of integer parameters such as {@code year}.
   */
  private static Optional<Map<String, String>> parseQuery(String query) {
    Map<String, String> params = new TreeMap<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        return Optional.empty();
      }
      String name = pair.substring(0, eq);
      String value;
      try {
        value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      if (!PARAM_NAME.matcher(name).matches()
          || (RecordFilter.INTEGER_PARAMS.contains(name) && !INTEGER.matcher(value).matches())
          || params.put(name, value) != null) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private static long integerParam(StoredFile file, String name) {
    String value = file.request().param(name);
    return value == null ? Long.MAX_VALUE : Long.parseLong(value);
  }

  private static int seasonTypeRank(String seasonType) {
    if (seasonType == null) {
      return 3;
    }
    return switch (seasonType) {
      case "regular" -> 0;
      case "postseason" -> 1;
      default -> 2;
    };
  }

  /** One stored response: its file and the request it was saved for. */
  private record StoredFile(Path path, CfbdRequest request) {
  }

  @Override
  public String toString() {
    return "SnapshotStore[" + root + ", " + filesByRequest.size() + " files]";
  }
}
