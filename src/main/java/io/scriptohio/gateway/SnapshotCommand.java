package io.scriptohio.gateway;

import io.scriptohio.gateway.backup.SnapshotException;
import io.scriptohio.gateway.backup.Snapshots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The {@code snapshot} command: checks a backup of cached CFBD responses against its checksums,
 * and restores it into the folder a gateway reads as {@code MOCK_DATA_PATH}.
 */
final class SnapshotCommand {

  static final String USAGE = "usage: snapshot verify DIR\n"
      + "       snapshot restore DIR TARGET\n"
      + "  verify   check every file of the snapshot DIR against its INDEX.json checksums\n"
      + "  restore  verify DIR, then copy its files into TARGET (use TARGET as MOCK_DATA_PATH)";

  private SnapshotCommand() {
  }

  /**
   * Runs the command.
   *
   * @return the exit code: 0 success, 1 the snapshot was rejected, 2 invalid arguments
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    boolean verify = args.length == 2 && args[0].equals("verify");
    boolean restore = args.length == 3 && args[0].equals("restore");
    if (!verify && !restore) {
      err.println(USAGE);
      return Main.EXIT_USAGE;
    }

    Path snapshot = Paths.get(args[1]);
    try {
      if (verify) {
        int files = Snapshots.verify(snapshot);
        out.println("Snapshot " + snapshot + " verified: " + files + " files match INDEX.json");
      } else {
        Path target = Paths.get(args[2]);
        int files = Snapshots.restore(snapshot, target);
        out.println("Restored " + files + " files from " + snapshot + " into " + target
            + "; start the gateway with MOCK_DATA_PATH=" + target);
      }
      return 0;
    } catch (SnapshotException e) {
      err.println(e.getMessage());
      return Main.EXIT_FAILURE;
    }
  }
}
