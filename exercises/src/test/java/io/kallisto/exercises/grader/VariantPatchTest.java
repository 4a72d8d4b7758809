package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every committed variant applies to its reference solution and changes it. */
class VariantPatchTest {
  @Test
  void everyVariantPatchAppliesToItsReferenceSolutionAndChangesIt(@TempDir Path tmp)
      throws IOException {
    List<Path> patches;
    try (Stream<Path> s = Files.walk(GradingFixtures.variants())) {
      patches = s.filter(p -> p.toString().endsWith(".patch")).sorted().toList();
    }
    assertTrue(patches.size() >= 18, "expected at least three variants per exercise: " + patches);
    for (Path patch : patches) {
      Exercise ex = Exercise.bundled(patch.getParent().getFileName().toString());
      String variant = patch.getFileName().toString().replace(".patch", "");
      Path dir = tmp.resolve(ex.name()).resolve(variant);
      GradingFixtures.solutionWith(ex, variant, dir);
      boolean changed = false;
      try (Stream<Path> s = Files.walk(ex.solution())) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          Path mine = dir.resolve(ex.solution().relativize(f).toString());
          changed |= Files.mismatch(f, mine) != -1;
        }
      }
      assertTrue(changed, variant + " changes nothing");
    }
  }

  @Test
  void aPatchThatNoLongerMatchesTheSolutionFailsNamingTheHunk(@TempDir Path tmp)
      throws IOException {
    Path file = Files.writeString(tmp.resolve("A.java"), "one\ntwo\nthree\n");
    Path patch = Files.writeString(tmp.resolve("v.patch"), "--- a/A.java\n+++ b/A.java\n"
        + "@@ -1,3 +1,3 @@\n one\n-TWO\n+2\n three\n");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> VariantPatch.apply(patch, tmp));
    assertTrue(e.getMessage().contains("hunk at patch line 3 matches nothing"), e.getMessage());
    assertEquals("one\ntwo\nthree\n", Files.readString(file));
  }

  @Test
  void hunksApplyAfterEarlierHunksMovedTheLines(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("A.java"), "a\nb\nc\nd\ne\nf\ng\n");
    Path patch = Files.writeString(tmp.resolve("v.patch"), "--- a/A.java\n+++ b/A.java\n"
        + "@@ -1,2 +1,4 @@\n a\n+a1\n+a2\n b\n@@ -6,2 +8,1 @@\n f\n-g\n");
    VariantPatch.apply(patch, tmp);
    assertEquals("a\na1\na2\nb\nc\nd\ne\nf\n", Files.readString(tmp.resolve("A.java")));
    assertFalse(Files.readString(tmp.resolve("A.java")).contains("g"));
  }
}
