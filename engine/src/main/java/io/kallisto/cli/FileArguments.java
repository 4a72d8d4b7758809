package io.kallisto.cli;

import io.kallisto.files.FileProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one command reads and writes, checked together before anything is written, so that
 * a command never destroys what it was given:
 *
 * <ul>
 *   <li>no output is one of the inputs: the same path, or the same file by
 *       {@link Files#isSameFile} (a hard link, a symbolic link, {@code ./x} for {@code x});
 *   <li>no two outputs name the same file;
 *   <li>an output file is a regular file or a new name, in a folder that exists and can be
 *       written; a directory, FIFO, device ({@code /dev/null} too) or socket is refused;
 *   <li>an output directory is a directory, or a new name under folders that are folders, the
 *       deepest of which that exists can be written.
 * </ul>
 *
 * <pre>{@code
 * new FileArguments()
 *     .input("SCENARIO", scenarioFile)
 *     .output("--trace", trace)
 *     .output("--json", json)
 *     .check();        // a UserError (one line, exit 2) naming the option and the path
 * }</pre>
 *
 * <p>It checks names, not content: inputs are checked as regular files when they are read
 * ({@link io.kallisto.files.InputFiles}), and outputs are written whole or not at all by
 * {@link io.kallisto.files.AtomicOutput}. Null paths (options not given) are skipped. Used on
 * the CLI's main thread, once per command.
 */
public final class FileArguments {
  private record Named(String label, Path path, boolean directory) {
    String says() {
      return label + " " + path;
    }
  }

  private final List<Named> inputs = new ArrayList<>();
  private final List<Named> outputs = new ArrayList<>();

  /** Adds a file or directory the command reads; {@code label} is its option or parameter. */
  public FileArguments input(String label, Path path) {
    if (path != null) {
      inputs.add(new Named(label, path, false));
    }
    return this;
  }

  /** Adds a file the command writes (replacing it whole); {@code label} as the user gave it. */
  public FileArguments output(String label, Path path) {
    if (path != null) {
      outputs.add(new Named(label, path, false));
    }
    return this;
  }

  /** Adds a directory the command writes into, creating it and its parents if need be. */
  public FileArguments outputDirectory(String label, Path path) {
    if (path != null) {
      outputs.add(new Named(label, path, true));
    }
    return this;
  }

  /**
   * Checks every output against the rules above, in the order they were added.
   *
   * @throws UserError for the first problem, naming the output, its path and what is wrong
   */
  public void check() {
    for (int i = 0; i < outputs.size(); i++) {
      Named out = outputs.get(i);
      String problem = out.directory() ? directoryProblem(out.path()) : fileProblem(out.path());
      if (problem != null) {
        throw new UserError(out.says() + ": " + problem);
      }
      for (Named in : inputs) {
        if (same(out.path(), in.path())) {
          throw new UserError(out.says() + ": is the input " + in.says() + "; an output never"
              + " replaces an input, give another name");
        }
      }
      for (Named earlier : outputs.subList(0, i)) {
        if (same(out.path(), earlier.path())) {
          throw new UserError(out.says() + ": " + earlier.says() + " writes the same file;"
              + " give each output its own name");
        }
      }
    }
  }

  private static String fileProblem(Path path) {
    if (path.getFileName() == null) {
      return "names no file; give a file name";
    }
    if (Files.isSymbolicLink(path) && !Files.exists(path)) {
      return "is a symbolic link to nothing; give a file name";
    }
    if (Files.exists(path)) {
      String why = FileProblem.notRegular(path);
      if (why != null) {
        return why + "; an output must be a regular file or a new name";
      }
    }
    Path folder = canonical(path).getParent();
    if (!Files.exists(folder)) {
      String ancestor = fileAncestor(folder);
      return ancestor != null ? ancestor : "its folder does not exist";
    }
    if (!Files.isDirectory(folder)) {
      return folder + " is a file, not a directory";
    }
    if (!Files.isWritable(folder)) {
      // access(2): also false for root on a read-only mount or an immutable (chattr +i) folder
      return "cannot write in its folder " + folder + " (permission denied, or read-only)";
    }
    return null;
  }

  private static String directoryProblem(Path path) {
    if (Files.exists(path)) {
      if (Files.isDirectory(path)) {
        return null;
      }
      String why = FileProblem.notRegular(path);
      return (why == null ? "is a file" : why) + "; give a directory";
    }
    Path parent = canonical(path).getParent();
    String ancestor = parent == null ? null : fileAncestor(parent);
    if (ancestor != null) {
      return ancestor;
    }
    for (Path p = parent; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isWritable(p) ? null
            : "cannot create it in " + p + " (permission denied, or read-only)";
      }
    }
    return null;
  }

  /** "FILE is not a directory" for the nearest existing ancestor of {@code dir}, if a file. */
  private static String fileAncestor(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? null : p + " is a file, not a directory";
      }
    }
    return null;
  }

  /** True when the two name one file: by inode where both exist, else by resolved path. */
  static boolean same(Path a, Path b) {
    if (Files.exists(a) && Files.exists(b)) {
      try {
        return Files.isSameFile(a, b);
      } catch (IOException e) {
        // fall through to the names
      }
    }
    return canonical(a).equals(canonical(b));
  }

  /**
   * {@code path} made absolute, with its deepest existing ancestor's symbolic links resolved,
   * so that {@code link/x} and {@code real/x} compare equal before {@code x} exists.
   */
  static Path canonical(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      Path real = Files.isSymbolicLink(existing) && !Files.exists(existing) ? existing
          : existing.toRealPath();
      return real.resolve(existing.relativize(abs)).normalize();
    } catch (IOException e) {
      return abs;
    }
  }
}
