package io.scriptohio.gateway.backup;

/** A snapshot that cannot be trusted or written; the message names the file at fault. */
public final class SnapshotException extends RuntimeException {

  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
