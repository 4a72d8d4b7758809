package io.kallisto.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kallisto.notebook.Claim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs notebooks headlessly through Debian's {@code /usr/bin/jupyter nbconvert --execute} against
 * the kernel built in this run (a kernelspec in a temporary {@code JUPYTER_PATH}): every lesson
 * notebook, and small ones that check what the kernel sends over Jupyter's protocol.
 *
 * <p>Without Jupyter the tests are skipped, saying why; under {@code CI=true} that is a failure.
 */
class NotebookExecutionTest {
  /** Per notebook: the issue allows 60 s at CI scale; the rest is kernel start-up and slack. */
  private static final Duration NOTEBOOK_BOUND = Duration.ofSeconds(150);
  private static final Duration CELL_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path jupyterPath;

  private static Path notebooks;
  private static Path executed;

  @BeforeAll
  static void findJupyterAndInstallTheKernel() throws Exception {
    String missing = missingJupyter();
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true and " + missing + "; install: apt-get install -y jupyter-nbconvert"
            + " python3-nbclient fonts-dejavu-core");
      }
      String why = "notebook tests skipped: " + missing + " (apt-get install"
          + " jupyter-nbconvert python3-nbclient to run them)";
      System.err.println("NOTE: " + why); // Maven's summary shows a skipped class as 0 tests
      Assumptions.abort(why);
    }
    KernelSpec.install(jupyterPath, System.getProperty("java.class.path"));
    notebooks = Path.of(System.getProperty("kallisto.notebooks.dir", "."));
    executed = notebooks.resolve("target/executed-notebooks");
    Files.createDirectories(executed);
    Files.deleteIfExists(executed.resolve("claims.txt"));
  }

  /** Why Jupyter cannot run notebooks here, or {@code null} if it can. */
  private static String missingJupyter() throws InterruptedException {
    if (!Files.isExecutable(NotebookCommand.DEBIAN_JUPYTER)) {
      return NotebookCommand.DEBIAN_JUPYTER + " is missing";
    }
    try {
      Process p = new ProcessBuilder(NotebookCommand.DEBIAN_JUPYTER.toString(), "nbconvert",
          "--version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return "'jupyter nbconvert' does not run";
      }
    } catch (IOException e) {
      return "'jupyter nbconvert' cannot start: " + e.getMessage();
    }
    return null;
  }

  @TestFactory
  Stream<DynamicTest> everyLessonNotebookRunsTopToBottomWithoutAnError() throws IOException {
    List<Path> lessons;
    try (Stream<Path> files = Files.list(notebooks)) {
      lessons = files.filter(f -> f.getFileName().toString().endsWith(".ipynb")).sorted()
          .toList();
    }
    assertTrue(lessons.size() >= 6, "expected at least six lesson notebooks in " + notebooks
        + ", found " + lessons);
    // -Dkallisto.notebooks=01,07 runs only the lessons whose names start so (while writing one).
    String only = System.getProperty("kallisto.notebooks", "");
    if (!only.isBlank()) {
      List<String> prefixes = List.of(only.split(","));
      lessons = lessons.stream().filter(nb -> prefixes.stream()
          .anyMatch(p -> nb.getFileName().toString().startsWith(p.strip()))).toList();
    }
    return lessons.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
      long started = System.nanoTime();
      Run run = execute(nb, executed);
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertEquals(0, run.exit, nb.getFileName() + " failed; nbconvert said:\n" + run.log);
      Path out = executed.resolve(nb.getFileName().toString().replace(".ipynb", ".out.ipynb"));
      List<ClaimVerdicts.Verdict> verdicts = ClaimVerdicts.read(out);
      report(nb, seconds, verdicts);
      assertTrue(verdicts.stream().anyMatch(v -> v.kind().equals("design")),
          nb.getFileName() + " states no design claim: every lesson checks its mechanism with"
              + " Claim.design(...)");
      ClaimVerdicts.assertDesignClaimsHeld(nb, verdicts);
    }));
  }

  /**
   * Environment claims are reported, not failed: speed on a shared machine is what it is. Each
   * lesson's time and verdicts go to stdout and to {@code claims.txt} beside the executed copies.
   */
  private static void report(Path nb, long seconds, List<ClaimVerdicts.Verdict> verdicts)
      throws IOException {
    StringBuilder b = new StringBuilder(nb.getFileName() + ": " + seconds + " s, "
        + verdicts.size() + " claims\n");
    verdicts.forEach(v -> b.append("  ").append(v).append('\n'));
    System.out.print(b);
    Files.writeString(executed.resolve("claims.txt"), b, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  @Test
  void aDesignClaimThatDoesNotHoldFailsTheNotebookTest(@TempDir Path dir) throws IOException {
    // A deliberately broken prediction: a burst of posts to a running loop cannot cost more
    // eventfd writes than there were posts.
    Path nb = notebook(dir, "broken-claim",
        "Dispatcher d = Dispatchers.create(\"broken\");\n"
            + "Thread loop = new Thread(() -> d.run(RunType.RUN_UNTIL_EXIT));\n"
            + "loop.start();\n"
            + "CountDownLatch all = new CountDownLatch(1000);\n"
            + "for (int i = 0; i < 1000; i++) d.post(all::countDown);\n"
            + "all.await(); d.exit(); loop.join();\n"
            + "long writes = d.stats().wakeupsWritten(); d.close();",
        "Claim.design(\"{} posts cost {} eventfd writes: more writes than posts\", 1000, writes)"
            + ".holds(writes > 1000);",
        "Claim.design(\"a claim that holds\").holds(true);");
    Run run = execute(nb, dir);
    assertEquals(0, run.exit, "a failed claim does not stop the notebook:\n" + run.log);
    List<ClaimVerdicts.Verdict> verdicts = ClaimVerdicts.read(dir.resolve("broken-claim.out.ipynb"));
    assertEquals(2, verdicts.size(), verdicts.toString());
    assertEquals(Claim.NOT_THIS_TIME, verdicts.get(0).verdict());
    assertTrue(verdicts.get(0).claim().startsWith("1,000 posts cost"), verdicts.toString());
    assertEquals(Claim.AS_PREDICTED, verdicts.get(1).verdict());
    AssertionError e = assertThrows(AssertionError.class,
        () -> ClaimVerdicts.assertDesignClaimsHeld(nb, verdicts));
    assertTrue(e.getMessage().contains("1 design claim(s) did not hold")
        && e.getMessage().contains("more writes than posts"), e.getMessage());
  }

  @Test
  void outputLastValueAndPngReachTheNotebook(@TempDir Path dir) throws IOException {
    Path nb = notebook(dir, "protocol",
        "System.out.println(\"to stdout\");\nSystem.err.println(\"to stderr\");",
        "int a = 6;\na * 7",
        "display(Charts.line(\"t\", \"x\", \"y\", Series.of(\"s\", new double[] {1, 2})));");
    Run run = execute(nb, dir);
    assertEquals(0, run.exit, run.log);
    JsonNode cells = JSON.readTree(dir.resolve("protocol.out.ipynb").toFile()).get("cells");
    String streams = cells.get(0).get("outputs").toString();
    assertTrue(streams.contains("to stdout") && streams.contains("\"stdout\""), streams);
    assertTrue(streams.contains("to stderr") && streams.contains("\"stderr\""), streams);
    JsonNode result = cells.get(1).get("outputs").get(0);
    assertEquals("execute_result", result.get("output_type").asText());
    assertEquals("42", text(result.get("data").get("text/plain")));
    JsonNode png = cells.get(2).get("outputs").get(0);
    assertEquals("display_data", png.get("output_type").asText());
    assertTrue(text(png.get("data").get("image/png")).startsWith("iVBORw0KGgo"), png.toString());
  }

  @Test
  void compileErrorFailsTheRunAndSaysWhat(@TempDir Path dir) throws IOException {
    Run run = execute(notebook(dir, "compile", "int y = undefinedThing + 1;"), dir);
    assertNotEquals(0, run.exit);
    assertTrue(run.log.contains("cannot find symbol"), run.log);
  }

  @Test
  void exceptionFailsTheRunAndNamesIt(@TempDir Path dir) throws IOException {
    Run run = execute(notebook(dir, "exception",
        "throw new IllegalArgumentException(\"bad value 7\");"), dir);
    assertNotEquals(0, run.exit);
    assertTrue(run.log.contains("java.lang.IllegalArgumentException: bad value 7"), run.log);
  }

  @Test
  void deadKernelGivesANonZeroExit(@TempDir Path dir) throws IOException {
    Run run = execute(notebook(dir, "dead", "System.exit(3);", "1 + 1"), dir);
    assertNotEquals(0, run.exit, run.log);
  }

  private record Run(int exit, String log) {}

  private static Run execute(Path notebook, Path outDir) {
    return assertTimeoutPreemptively(NOTEBOOK_BOUND, () -> {
      String name = notebook.getFileName().toString().replace(".ipynb", "");
      Path log = outDir.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(NotebookCommand.DEBIAN_JUPYTER.toString(),
          "nbconvert", "--to", "notebook", "--execute",
          "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT.toSeconds(),
          "--ExecutePreprocessor.kernel_name=" + KernelSpec.NAME,
          "--output-dir", outDir.toString(), "--output", name + ".out.ipynb",
          notebook.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
      pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
      Process p = pb.start();
      try {
        return new Run(p.waitFor(), Files.readString(log));
      } finally {
        p.destroyForcibly(); // only when the bound interrupted the wait
      }
    });
  }

  /** A notebook of code cells for the Kallisto kernel. */
  private static Path notebook(Path dir, String name, String... cells) throws IOException {
    ObjectNode nb = JSON.createObjectNode();
    ArrayNode list = nb.putArray("cells");
    int id = 0;
    for (String source : cells) {
      ObjectNode c = list.addObject();
      c.put("cell_type", "code").put("id", "c" + id++).putNull("execution_count");
      c.putObject("metadata");
      c.putArray("outputs");
      c.put("source", source);
    }
    nb.putObject("metadata").putObject("kernelspec").put("name", KernelSpec.NAME)
        .put("display_name", "Kallisto").put("language", "java");
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    Path file = dir.resolve(name + ".ipynb");
    JSON.writeValue(file.toFile(), nb);
    return file;
  }

  private static String text(JsonNode n) {
    if (n.isArray()) {
      StringBuilder b = new StringBuilder();
      n.forEach(e -> b.append(e.asText()));
      return b.toString();
    }
    return n.asText();
  }
}
