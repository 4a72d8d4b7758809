package io.kallisto.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens what a user names as an input, only if it is a regular file. A FIFO, a device, a socket
 * or a directory is refused before any open: opening a FIFO with no writer blocks forever, and
 * {@code /dev/zero} reports a size of 0 and then never ends. Sizes are counted in bytes actually
 * read, never taken from {@link Files#size}.
 *
 * <pre>{@code
 * byte[] json = InputFiles.readAtMost(Path.of("my.json"), 1 << 20);
 * try (FileChannel trace = InputFiles.open(Path.of("run.ktrace"))) { ... }
 * }</pre>
 *
 * <p>Failures are {@link UncheckedIOException}s whose message is {@code "FILE: problem"} (the
 * problem as {@link FileProblem} words it) and whose cause is the {@link IOException} that says
 * what happened: a {@link NotRegular} or a {@link TooLarge} for the checks made here.
 *
 * <p><b>Note:</b> the check and the open are two steps; a file swapped for a FIFO between them
 * (by another process, on purpose) can still block the open. Safe from any thread.
 */
public final class InputFiles {
  /** The input exists but is a directory, FIFO, device or socket. */
  public static final class NotRegular extends FileSystemException {
    NotRegular(Path file, String why) {
      super(file.toString(), null, why);
    }
  }

  /** The input holds more bytes than the caller reads. */
  public static final class TooLarge extends FileSystemException {
    private final long limit;

    TooLarge(Path file, long limit) {
      super(file.toString(), null, "is too large (more than " + limit + " bytes)");
      this.limit = limit;
    }

    /** The most bytes the caller would read. */
    public long limit() {
      return limit;
    }
  }

  private InputFiles() {}

  /**
   * Opens {@code file} for reading, once it is known to be a regular file. The caller owns and
   * closes the channel.
   *
   * @throws UncheckedIOException if it is missing, unreadable or not a regular file
   */
  public static FileChannel open(Path file) {
    check(file);
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw failed(file, e);
    }
  }

  /**
   * The whole of {@code file}, if it is a regular file of at most {@code limit} bytes. It reads
   * at most {@code limit + 1} bytes whatever the file claims to hold.
   *
   * @throws UncheckedIOException if it is missing, unreadable, not a regular file, or longer
   *     (cause {@link TooLarge})
   */
  public static byte[] readAtMost(Path file, int limit) {
    if (limit < 0 || limit == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("limit=" + limit + "; allowed: 0 to "
          + (Integer.MAX_VALUE - 1));
    }
    check(file);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(limit + 1);
    } catch (IOException e) {
      throw failed(file, e);
    }
    if (bytes.length > limit) {
      throw failed(file, new TooLarge(file, limit));
    }
    return bytes;
  }

  private static void check(Path file) {
    String why = FileProblem.notRegular(file);
    if (why == null) {
      return;
    }
    try {
      // Missing or unreadable: let the JDK's own exception say which.
      Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException e) {
      throw failed(file, e);
    }
    throw failed(file, new NotRegular(file, why));
  }

  private static UncheckedIOException failed(Path file, IOException e) {
    return new UncheckedIOException(file + ": " + FileProblem.of(e), e);
  }
}
