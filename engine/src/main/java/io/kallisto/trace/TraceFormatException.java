package io.kallisto.trace;

import java.nio.file.Path;

/**
 * A file that is not a readable Kallisto trace: foreign, from a newer version, or corrupt
 * before its first block. The message is one line naming the file, the byte offset and what was
 * expected there.
 */
public final class TraceFormatException extends RuntimeException {
  private final Path file;
  private final long offset;

  /** @param what what was expected at {@code offset} and what was found */
  public TraceFormatException(Path file, long offset, String what) {
    super(file + ": " + what + " (at byte offset " + offset + ")", null, false, false);
    this.file = file;
    this.offset = offset;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Where in the file the problem is. */
  public long offset() {
    return offset;
  }
}
