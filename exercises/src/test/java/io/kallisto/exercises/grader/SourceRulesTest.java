package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as using a forbidden class or package, and what does not. */
class SourceRulesTest {
  private static List<String> breaches(Path dir, String rules, String source) throws IOException {
    Path rulesFile = Files.writeString(dir.resolve("rules.txt"), rules);
    Path src = Files.writeString(dir.resolve("Student.java"), source);
    return SourceRules.read(rulesFile).breaches(List.of(src));
  }

  @Test
  void anImportOfAForbiddenClassIsABreachNamingFileLineAndReason(@TempDir Path dir)
      throws IOException {
    List<String> b = breaches(dir, "# comment\njava.util.PriorityQueue  no sorted collection\n",
        "package p;\n\nimport java.util.PriorityQueue;\nclass Student {}\n");
    assertEquals(List.of("Student.java:3 uses java.util.PriorityQueue: no sorted collection"),
        b);
  }

  @Test
  void aFullyQualifiedUseIsABreach(@TempDir Path dir) throws IOException {
    assertEquals(1, breaches(dir, "java.util.PriorityQueue x\n",
        "class Student { Object q = new java.util.PriorityQueue<Integer>(); }\n").size());
  }

  @Test
  void aSimpleNameUnderAWildcardImportIsABreach(@TempDir Path dir) throws IOException {
    List<String> b = breaches(dir, "java.util.TreeSet x\n",
        "import java.util.*;\nclass Student {\n  Object s = new TreeSet<Integer>();\n}\n");
    assertEquals(1, b.size(), b.toString());
    assertTrue(b.get(0).startsWith("Student.java:3 "), b.toString());
  }

  @Test
  void aSimpleNameInTheForbiddenClassesOwnPackageIsABreach(@TempDir Path dir)
      throws IOException {
    assertEquals(1, breaches(dir, "io.kallisto.event.HeapTimerQueue x\n",
        "package io.kallisto.event;\nclass Student { Object h = new HeapTimerQueue(); }\n")
        .size());
  }

  @Test
  void commentsStringsAndLookalikeNamesAreNotBreaches(@TempDir Path dir) throws IOException {
    List<String> b = breaches(dir, "java.util.PriorityQueue x\njava.util.concurrent.* y\n",
        "import java.util.*;\nimport java.util.concurrent.atomic.AtomicLong;\n"
            + "// a PriorityQueue would be easier\n/* java.util.PriorityQueue */\n"
            + "class Student {\n  String s = \"PriorityQueue java.util.concurrent.Executors\";\n"
            + "  char c = 'P';\n  String t = \"\"\"\n    PriorityQueue\n    \"\"\";\n"
            + "  MyPriorityQueue q; PriorityQueueLike r; AtomicLong n;\n}\n");
    assertEquals(List.of(), b);
  }

  @Test
  void aPackageRuleForbidsItsClassesButNotItsSubpackages(@TempDir Path dir)
      throws IOException {
    String rules = "java.util.concurrent.*  no java.util.concurrent classes\n";
    assertEquals(List.of(), breaches(dir, rules,
        "import java.util.concurrent.atomic.AtomicReference;\n"
            + "import java.util.concurrent.locks.ReentrantLock;\nclass Student {}\n"));
    assertEquals(1, breaches(dir, rules,
        "import java.util.concurrent.ConcurrentLinkedQueue;\nclass Student {}\n").size());
    assertEquals(1, breaches(dir, rules, "import java.util.concurrent.*;\nclass Student {}\n")
        .size());
  }

  @Test
  void noRulesFileMeansNoRules(@TempDir Path dir) throws IOException {
    Path src = Files.writeString(dir.resolve("Student.java"),
        "import java.util.PriorityQueue;\nclass Student {}\n");
    assertEquals(List.of(), SourceRules.read(dir.resolve("missing.txt")).breaches(List.of(src)));
  }

  @Test
  void theBundledReferenceSolutionsKeepTheirRules() throws IOException {
    for (String name : Exercise.bundledNames()) {
      Exercise ex = Exercise.bundled(name);
      List<Path> sources;
      try (var s = Files.walk(ex.solution())) {
        sources = s.filter(p -> p.toString().endsWith(".java")).toList();
      }
      assertEquals(List.of(), SourceRules.read(ex.rules()).breaches(sources), name);
    }
  }
}
