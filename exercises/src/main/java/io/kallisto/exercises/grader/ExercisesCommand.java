package io.kallisto.exercises.grader;

import io.kallisto.cli.FileArguments;
import io.kallisto.cli.UserError;
import io.kallisto.files.FileProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kallisto exercises list} and {@code kallisto exercises export EXERCISE --student DIR}. */
@Command(
    name = "exercises",
    mixinStandardHelpOptions = true,
    description = "Lists the bundled exercises, or writes a student hand-out of one.",
    subcommands = {ExercisesCommand.ListCommand.class, ExercisesCommand.ExportCommand.class})
public final class ExercisesCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** One exercise per line. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the bundled exercises: name and title.")
  static final class ListCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      List<String> names = Exercise.bundledNames();
      int width = names.stream().mapToInt(String::length).max().orElse(0) + 2;
      for (String name : names) {
        out.printf("%-" + width + "s%s%n", name, Exercise.bundled(name).title());
      }
      out.flush();
    }
  }

  /** The hand-out: README, starter and visible tests; never the solution or hidden tests. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Writes a student hand-out of one exercise: README.md, rules.txt, the"
          + " starter under src/main/java, the visible tests under src/test/java, and a pom.xml"
          + " with the engine in lib/repo so that 'mvn test' runs the visible tests. The"
          + " solution and the hidden tests are left out.",
          "Grade the student's work with: kallisto grade EXERCISE --src DIR/src/main/java"})
  static final class ExportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXERCISE", description = "ex1, post-queue, ...")
    String exercise;

    @Option(names = "--student", paramLabel = "DIR", required = true,
        description = "Where to write the hand-out: a new or empty directory")
    Path dir;

    @Override
    public void run() {
      Exercise ex = Exercise.bundled(exercise);
      export(ex, dir);
      spec.commandLine().getOut().println("wrote the " + ex.name() + " hand-out to " + dir
          + " (no solution, no hidden tests); run its visible tests with: cd " + dir
          + " && mvn test");
      spec.commandLine().getOut().flush();
    }
  }

  /**
   * Writes {@code ex}'s student hand-out into {@code dir}, which must be new or empty. The
   * hand-out is built in a sibling directory and renamed into place, so a failure part-way
   * leaves no half-written hand-out.
   *
   * @throws UserError if {@code dir} is a file, a directory that is not empty, under a file, or
   *     cannot be written
   */
  static void export(Exercise ex, Path dir) {
    new FileArguments().outputDirectory("--student", dir).check();
    Path staging = null;
    try {
      if (Files.exists(dir) && !isEmpty(dir)) {
        throw new UserError("--student " + dir + ": exists and is not an empty directory;"
            + " give a new or empty one");
      }
      Path parent = dir.toAbsolutePath().normalize().getParent();
      Files.createDirectories(parent);
      staging = createStaging(parent, dir.getFileName().toString());
      write(ex, staging);
      moveIntoPlace(staging, dir);
      staging = null;
    } catch (IOException e) {
      throw new UserError("--student " + dir + ": cannot write the hand-out: "
          + FileProblem.of(e));
    } finally {
      if (staging != null) {
        deleteTree(staging);
      }
    }
  }

  private static void write(Exercise ex, Path dir) throws IOException {
    Files.writeString(dir.resolve("README.md"), Files.readString(ex.dir().resolve("README.md"))
        + HandoutBuild.readmeSection(ex));
    if (Files.isRegularFile(ex.rules())) {
      Files.copy(ex.rules(), dir.resolve("rules.txt"));
    }
    copyTree(ex.starter(), dir.resolve("src/main/java"));
    if (Files.isDirectory(ex.given())) {
      copyTree(ex.given(), dir.resolve("src/main/java"));
    }
    copyTree(ex.visibleTests(), dir.resolve("src/test/java"));
    HandoutBuild.write(ex, dir);
  }

  /** A new directory beside the target, with the umask's permissions (not 0700). */
  private static Path createStaging(Path parent, String name) throws IOException {
    while (true) {
      Path p = parent.resolve("." + name + "." + Integer.toHexString(
          java.util.concurrent.ThreadLocalRandom.current().nextInt()) + ".partial");
      try {
        return Files.createDirectory(p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // drawn before: draw again
      }
    }
  }

  /**
   * Renames the built hand-out onto {@code dir} (rename(2) replaces an empty directory); where
   * that cannot be done in one step (another file system, a mount point), copies it in.
   */
  private static void moveIntoPlace(Path staging, Path dir) throws IOException {
    try {
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (Files.exists(dir) && !isEmpty(dir)) {
        throw e; // filled since the check: what is there now is not ours to replace
      }
      Files.createDirectories(dir);
      copyTree(staging, dir);
      deleteTree(staging);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover .partial directory is the worst case, and its name says what it is
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** Copies the tree under {@code from} into {@code to}, replacing files that exist. */
  static void copyTree(Path from, Path to) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.toList();
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
