package io.kallisto.exercises.grader;

import io.kallisto.cli.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
   * Writes {@code ex}'s student hand-out into {@code dir}, which must be new or empty.
   *
   * @throws UserError if {@code dir} is a file or a directory that is not empty
   */
  static void export(Exercise ex, Path dir) {
    try {
      if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
        throw new UserError("--student " + dir + ": exists and is not an empty directory;"
            + " give a new or empty one");
      }
      Files.createDirectories(dir);
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
    } catch (IOException e) {
      throw new UncheckedIOException("exporting " + ex.name() + " to " + dir + ": "
          + e.getMessage(), e);
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
