package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Source trees to grade: the reference solution with a buggy variant's files laid over it. */
final class GradingFixtures {
  private GradingFixtures() {}

  /** Where the committed buggy variants live: {@code src/test/variants/EXERCISE/VARIANT/}. */
  static Path variants() {
    return Path.of(System.getProperty("kallisto.exercises.variants", "src/test/variants"));
  }

  /** A copy of {@code ex}'s solution with the files of {@code variant} replacing theirs. */
  static Path solutionWith(Exercise ex, String variant, Path into) {
    Path variantDir = variants().resolve(ex.name()).resolve(variant);
    if (!Files.isDirectory(variantDir)) {
      throw new IllegalArgumentException("no variant " + variantDir);
    }
    copyTree(ex.solution(), into);
    copyTree(variantDir, into);
    return into;
  }

  static void copyTree(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
