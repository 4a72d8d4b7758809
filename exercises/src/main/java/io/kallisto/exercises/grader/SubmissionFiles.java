package io.kallisto.exercises.grader;

import io.kallisto.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A student's {@code --src} tree, checked and then copied: only directories and regular files
 * (a symbolic link, a FIFO or a device anywhere under it, {@code --src} itself included, is
 * refused before any file is read), at most {@value #MAX_FILE} bytes a source and
 * {@value #MAX_TOTAL} in all. Grading reads the copy, so the check and the read see the same
 * bytes.
 */
final class SubmissionFiles {
  /** Bytes a source file may have: 1 MiB. */
  static final long MAX_FILE = 1L << 20;
  /** Bytes all sources may have: 10 MiB. */
  static final long MAX_TOTAL = 10L << 20;
  /** Files and directories under {@code --src}. */
  static final int MAX_ENTRIES = 10_000;

  private SubmissionFiles() {}

  /**
   * Checks {@code src} and copies its {@code .java} files into {@code into} (same relative
   * paths); returns the copies, sorted.
   *
   * @throws UserError naming the path, if {@code src} is not a directory, holds no Java file,
   *     or holds a link, a special file, or too many or too large files
   */
  static List<Path> copy(Path src, Exercise exercise, Path into) {
    BasicFileAttributes top;
    try {
      top = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      top = null;
    }
    if (top != null && top.isSymbolicLink()) {
      throw refused(src, src, "is a symbolic link; give the directory itself");
    }
    if (top == null || !top.isDirectory()) {
      throw new UserError("--src " + src + ": no such directory; give the directory that holds"
          + " your package tree (for " + exercise.name() + ", the one with io/kallisto/...)");
    }
    List<Path> sources = check(src);
    if (sources.isEmpty()) {
      throw new UserError("--src " + src + ": no .java files under it");
    }
    List<Path> copies = new ArrayList<>();
    for (Path source : sources) {
      Path copy = into.resolve(src.relativize(source).toString());
      try {
        Files.createDirectories(copy.getParent());
        // NOFOLLOW and a bounded read: a file swapped for a link or grown since the check
        // cannot make us read more than the cap.
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
          byte[] bytes = in.readNBytes((int) MAX_FILE + 1);
          if (bytes.length > MAX_FILE) {
            throw refused(src, source, "is larger than " + MAX_FILE + " bytes");
          }
          Files.write(copy, bytes);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("copying " + source + ": " + e.getMessage(), e);
      }
      copies.add(copy);
    }
    return copies;
  }

  /** The Java sources under {@code src}, after checking every entry. */
  private static List<Path> check(Path src) {
    List<Path> sources = new ArrayList<>();
    long[] total = {0, 0};
    try {
      // walkFileTree does not follow links: a link is visited as a file and refused there.
      Files.walkFileTree(src, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          count(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          count(file);
          if (attrs.isSymbolicLink()) {
            throw refused(src, file, "is a symbolic link" + target(file)
                + "; submit the file itself");
          }
          if (!attrs.isRegularFile()) {
            throw refused(src, file, "is not a regular file (a FIFO, device or socket);"
                + " submit source files only");
          }
          if (file.getFileName().toString().endsWith(".java")) {
            if (attrs.size() > MAX_FILE) {
              throw refused(src, file, "is " + attrs.size() + " bytes; a source may have at"
                  + " most " + MAX_FILE + " (1 MiB)");
            }
            total[0] += attrs.size();
            if (total[0] > MAX_TOTAL) {
              throw refused(src, file, "brings the sources to more than " + MAX_TOTAL
                  + " bytes (10 MiB)");
            }
            sources.add(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          throw refused(src, file, "cannot be read (" + e.getMessage() + ")");
        }

        private void count(Path p) {
          if (++total[1] > MAX_ENTRIES) {
            throw refused(src, p, "is past " + MAX_ENTRIES + " files and directories");
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + src + ": " + e.getMessage(), e);
    }
    sources.sort(null);
    return sources;
  }

  private static String target(Path link) {
    try {
      return " to " + Files.readSymbolicLink(link);
    } catch (IOException e) {
      return "";
    }
  }

  private static UserError refused(Path src, Path path, String why) {
    return new UserError("--src " + src + ": " + path + " " + why);
  }
}
