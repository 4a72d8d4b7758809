package io.kallisto.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written whole or not at all. The bytes go to a temporary file beside the target, in
 * the same directory, named {@code TARGET.XXXXXXXX.partial}; {@link #commit()} forces them to
 * disk and renames the temporary over the target in one step ({@code rename(2)}, atomic within
 * a directory). Until then the target keeps its previous content, whole; a failed write deletes
 * the temporary and leaves the target as it was.
 *
 * <pre>{@code
 * AtomicOutput.write(Path.of("summary.json"), out -> out.write(bytes));
 *
 * try (AtomicOutput trace = AtomicOutput.create(Path.of("run.ktrace"))) {
 *   trace.channel().write(block);   // as long as the run lasts
 *   trace.commit();                 // now run.ktrace is the new file
 * }                                 // closed without commit(): deleted, run.ktrace untouched
 * }</pre>
 *
 * <p>The target must be a regular file or a new name: a directory, FIFO, device or socket is
 * refused, since renaming over it would replace the node itself ({@code /dev/null} included,
 * which root may replace). A symbolic link to a file is followed: the file it points to is
 * replaced and the link kept. Where the file system refuses atomic renames, the rename falls back
 * to replacing the target ({@link StandardCopyOption#REPLACE_EXISTING}).
 *
 * <p><b>Note:</b> a process killed before {@code commit()} ({@code kill -9}, a power cut) leaves
 * the target as it was and the bytes written so far in the {@code .partial} file.
 *
 * <p>The caller owns an instance and orders its calls (one thread at a time); {@code close()} is
 * idempotent. Failures are {@link UncheckedIOException}s whose message is
 * {@code "TARGET: cannot write: problem"}.
 */
public final class AtomicOutput implements AutoCloseable {
  /** Writes a body to a stream; the stream is not to be closed by it. */
  @FunctionalInterface
  public interface Body {
    /** Writes everything into {@code out}. */
    void writeTo(OutputStream out) throws IOException;
  }

  /** The longest file name the temporary may take from the target's (NAME_MAX is 255). */
  private static final int MAX_STEM = 200;

  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private boolean done;

  private AtomicOutput(Path target, Path temporary, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
  }

  /**
   * Starts writing {@code target}: creates the temporary file beside it.
   *
   * @throws UncheckedIOException if the target is not a regular file or a new name, or its
   *     folder is missing or cannot be written
   */
  public static AtomicOutput create(Path target) {
    Path resolved = resolve(target);
    Path dir = resolved.toAbsolutePath().getParent();
    String stem = resolved.getFileName().toString();
    if (stem.length() > MAX_STEM) {
      stem = stem.substring(0, MAX_STEM);
    }
    while (true) {
      Path temporary = dir.resolve(stem + "." + String.format(java.util.Locale.ROOT, "%08x",
          ThreadLocalRandom.current().nextInt()) + ".partial");
      try {
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        keepPermissions(resolved, temporary);
        return new AtomicOutput(resolved, temporary, channel);
      } catch (FileAlreadyExistsException e) {
        // another writer's temporary: draw another name
      } catch (IOException e) {
        throw failed(target, e);
      }
    }
  }

  /**
   * Writes {@code target} whole with {@code body}, or leaves it as it was.
   *
   * @throws UncheckedIOException naming the target, if any step fails
   */
  public static void write(Path target, Body body) {
    try (AtomicOutput out = create(target)) {
      OutputStream stream = out.stream();
      try {
        body.writeTo(stream);
        stream.flush();
      } catch (IOException e) {
        throw failed(target, e);
      }
      out.commit();
    }
  }

  /** Writes {@code bytes} as the whole of {@code target}; see {@link #write(Path, Body)}. */
  public static void write(Path target, byte[] bytes) {
    write(target, out -> out.write(bytes));
  }

  /** The file that {@link #commit()} replaces: the target, its symbolic links followed. */
  public Path target() {
    return target;
  }

  /** Where the bytes go until {@link #commit()}. */
  public Path temporary() {
    return temporary;
  }

  /** The temporary file's channel, for writing; owned by this object. */
  public FileChannel channel() {
    return channel;
  }

  /** The channel as a stream, unbuffered; closing the stream leaves the channel open. */
  public OutputStream stream() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
  }

  /**
   * Forces what was written to disk and renames it over the target.
   *
   * @throws IllegalStateException if already committed or closed
   * @throws UncheckedIOException if forcing or renaming fails; the temporary is then deleted and
   *     the target left as it was
   */
  public void commit() {
    commit(true);
  }

  /**
   * As {@link #commit()}, forcing the bytes to disk first only when {@code force}: a caller that
   * must finish within a deadline (an interrupted run) renames without waiting for the disk, and
   * the kernel writes the pages out later.
   */
  public void commit(boolean force) {
    if (done) {
      throw new IllegalStateException(target + ": already committed or abandoned");
    }
    done = true;
    try {
      if (force) {
        channel.force(false);
      }
      channel.close();
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteTemporary();
      throw failed(target, e);
    }
  }

  /** Without {@link #commit()}: closes and deletes the temporary; the target stays as it was. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    deleteTemporary();
  }

  private void deleteTemporary() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a file we are about to delete: nothing left to save
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // a leftover .partial file is the worst case, and its name says what it is
    }
  }

  /** The target itself, or the file its symbolic link points to; refused if not a file. */
  private static Path resolve(Path target) {
    Path fileName = target.getFileName();
    if (fileName == null) {
      throw failed(target, new FileSystemException(target.toString(), null,
          "names no file"));
    }
    if (Files.isSymbolicLink(target)) {
      if (!Files.exists(target)) {
        throw failed(target, new FileSystemException(target.toString(), null,
            "is a symbolic link to nothing"));
      }
      try {
        target = target.toRealPath();
      } catch (IOException e) {
        throw failed(target, e);
      }
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      String why = FileProblem.notRegular(target);
      if (why != null) {
        throw failed(target, new FileSystemException(target.toString(), null, why));
      }
    }
    return target;
  }

  /** A replaced file keeps its permissions; a new one gets the umask's, as any write would. */
  private static void keepPermissions(Path target, Path temporary) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(target);
      Files.setPosixFilePermissions(temporary, p);
    } catch (IOException | UnsupportedOperationException e) {
      // a new target, or no POSIX permissions here: the defaults are right
    }
  }

  private static UncheckedIOException failed(Path target, IOException e) {
    String why = e instanceof java.nio.file.NoSuchFileException ? "its folder does not exist"
        : FileProblem.of(e);
    return new UncheckedIOException(target + ": cannot write: " + why, e);
  }
}
