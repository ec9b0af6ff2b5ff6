package io.scriptohio.gateway.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the CFBD data pack that tests read. The location comes from the {@code DATA_PACK}
 * environment variable, else the {@code dataPack} system property that the build sets to the
 * folder beside the repository.
 *
 * <p>Outside CI a missing pack skips the test. With {@code CI=true} it fails the test, because a
 * CI run that silently skipped the data tests would prove nothing.
 */
public final class DataPack {

  private DataPack() {
  }

  /** Returns the data pack root (the folder holding {@code cfbd/} and {@code starter-pack/}). */
  public static Path root() {
    String configured = System.getenv("DATA_PACK");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("dataPack", "../shared/data");
    }
    Path root = Paths.get(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("cfbd/INDEX.json"))) {
      String message = "CFBD data pack not found at " + root
          + " (expected cfbd/INDEX.json there); set DATA_PACK to the data pack folder";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      assumeTrue(false, message);
    }
    return root;
  }

  /** Returns the folder of stored CFBD responses, the layout {@code MOCK_DATA_PATH} expects. */
  public static Path cfbd() {
    return root().resolve("cfbd");
  }

  /** Returns the starter-pack statistics tables. */
  public static Path starterPack() {
    return root().resolve("starter-pack");
  }
}
