package io.kallisto.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What is wrong with a file, as the phrase an error message ends with: {@code "is a FIFO (named
 * pipe)"}, {@code "no such file"}, {@code "permission denied"}. Callers put the file's name and
 * what they wanted in front, so every command words the same problem the same way.
 *
 * <pre>{@code
 * String why = FileProblem.notRegular(path);   // null for a regular file
 * if (why != null) throw new UserError("--trace " + path + ": " + why);
 * }</pre>
 *
 * <p>Safe from any thread: it keeps no state.
 */
public final class FileProblem {
  // st_mode's file type bits, from <sys/stat.h> (inode(7)).
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;

  private FileProblem() {}

  /**
   * Why {@code file} is not a regular file that can be read, or {@code null} if it is one. It
   * follows symbolic links, as opening would, and never opens the file: opening a FIFO blocks
   * until a writer comes, and reading a device may never end.
   */
  public static String notRegular(Path file) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return of(e);
    }
    if (a.isRegularFile()) {
      return null;
    }
    if (a.isDirectory()) {
      return "is a directory";
    }
    return "is " + kind(file) + ", not a regular file";
  }

  /** The phrase for a failed file operation: the cause without the file name the JDK repeats. */
  public static String of(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "a folder on its path is not a directory";
    }
    if (e instanceof FileSystemException) {
      String reason = ((FileSystemException) e).getReason();
      if (reason != null) {
        return reason.toLowerCase(java.util.Locale.ROOT).startsWith("not a directory")
            ? "a folder on its path is not a directory" : reason;
      }
    }
    return String.valueOf(e.getMessage());
  }

  /** "a FIFO (named pipe)", "a character device"... from the mode bits where the JDK has them. */
  private static String kind(Path file) {
    int type;
    try {
      type = (Integer) Files.getAttribute(file, "unix:mode") & S_IFMT;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file (a FIFO, device or socket)";
    }
    switch (type) {
      case S_IFIFO:
        return "a FIFO (named pipe)";
      case S_IFCHR:
        return "a character device";
      case S_IFBLK:
        return "a block device";
      case S_IFSOCK:
        return "a socket";
      default:
        return "a special file";
    }
  }
}
