package io.kallisto.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel over Jupyter's real protocol: a kernel started by {@code jupyter_client} (Debian's,
 * for {@code /usr/bin/python3}) from a kernelspec of this build in a temporary
 * {@code JUPYTER_PATH}, driven by {@code kernel_protocol.py}, which prints what the kernel
 * answered as JSON. One kernel per test.
 *
 * <p>Without Jupyter's client the tests are skipped, saying why; under {@code CI=true} that is a
 * failure.
 */
class KernelProtocolTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Duration BOUND = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path jupyterPath;

  private static Path script;

  @BeforeAll
  static void findJupyterClientAndInstallTheKernel() throws Exception {
    String missing = missingClient();
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true and " + missing + "; install: apt-get install -y python3-jupyter-client");
      }
      String why = "kernel protocol tests skipped: " + missing
          + " (apt-get install python3-jupyter-client to run them)";
      System.err.println("NOTE: " + why);
      Assumptions.abort(why);
    }
    KernelSpec.install(jupyterPath, System.getProperty("java.class.path"));
    script = scriptPath();
  }

  private static Path scriptPath() throws URISyntaxException {
    return Path.of(KernelProtocolTest.class.getResource("kernel_protocol.py").toURI());
  }

  /** Why jupyter_client cannot be used here, or null if it can. */
  private static String missingClient() throws InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      return PYTHON + " is missing";
    }
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import jupyter_client")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return PYTHON + " has no jupyter_client";
      }
    } catch (IOException e) {
      return PYTHON + " cannot start: " + e.getMessage();
    }
    return null;
  }

  /** Runs one scenario of the script against a fresh kernel; returns its JSON answer. */
  private static JsonNode run(String scenario, String... args) {
    return assertTimeoutPreemptively(BOUND, () -> {
      List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), scenario));
      cmd.addAll(List.of(args));
      Path log = jupyterPath.resolve(scenario + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(log.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(jupyterPath.resolve(scenario + ".err")
              .toFile()));
      pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
      pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
      Process p = pb.start();
      try {
        int exit = p.waitFor();
        List<String> lines = Files.readAllLines(log);
        String err = Files.readString(jupyterPath.resolve(scenario + ".err"));
        assertEquals(0, exit, "the script failed:\n" + String.join("\n", lines) + "\n" + err);
        return JSON.readTree(lines.get(lines.size() - 1));
      } finally {
        p.destroyForcibly(); // only when the bound interrupted the wait
      }
    });
  }

  @Test
  void isCompleteAnswersCompleteIncompleteWithAnIndentAndInvalid() {
    JsonNode out = run("is_complete");
    assertEquals("complete", out.get("int x = 1;").get("status").asText(), out.toString());
    JsonNode open = out.get("for (int i = 0; i < 3; i++) {");
    assertEquals("incomplete", open.get("status").asText(), out.toString());
    assertEquals("    ", open.get("indent").asText(), out.toString());
    assertEquals("invalid", out.get("int x = );").get("status").asText(), out.toString());
  }

  @Test
  void historyAnswersTailRangeAndSearchWithThisSessionsCells() {
    JsonNode out = run("history");
    // [session, cell, [input, output]] with output; [session, cell, input] without.
    assertEquals("ok", out.get("tail").get("status").asText(), out.toString());
    JsonNode tail = out.get("tail").get("history");
    assertEquals(2, tail.size(), out.toString());
    assertEquals("int h2 = h1 + 1;", tail.get(0).get(2).get(0).asText(), out.toString());
    assertEquals("h2 * 21", tail.get(1).get(2).get(0).asText(), out.toString());
    assertEquals("42", tail.get(1).get(2).get(1).asText(), out.toString());
    JsonNode range = out.get("range").get("history");
    assertEquals(2, range.size(), out.toString());
    assertEquals(1, range.get(0).get(1).asInt(), out.toString());
    assertEquals("int h1 = 1;", range.get(0).get(2).asText(), out.toString());
    JsonNode search = out.get("search").get("history");
    assertEquals(2, search.size(), out.toString());
    assertEquals("int h2 = h1 + 1;", search.get(0).get(2).asText(), out.toString());
  }

  @Test
  void inspectAnswersWithTheJavadocOrNotFound() {
    JsonNode out = run("inspect");
    JsonNode found = out.get("found");
    assertEquals("ok", found.get("status").asText(), out.toString());
    assertTrue(found.get("found").asBoolean(), out.toString());
    String text = found.get("data").get("text/plain").asText();
    assertTrue(text.startsWith("Dispatcher Dispatchers.create(String name)")
        && text.contains("Creates a dispatcher on the chosen backend"), text);
    assertTrue(found.get("data").has("text/html"), out.toString());
    assertEquals(false, out.get("nothing").get("found").asBoolean(), out.toString());
  }

  @Test
  void interruptDuringEpollRunEndsTheCellWithinOneSecondAndTheNextCellRuns() {
    int rounds = 3;
    JsonNode out = run("interrupt", String.valueOf(rounds));
    List<String> latencies = new ArrayList<>();
    for (JsonNode r : out.get("rounds")) {
      double ms = r.get("latency").asDouble() * 1000;
      latencies.add(String.format(Locale.ROOT, "%.1f", ms));
      assertEquals("error", r.get("status").asText(), r.toString());
      String report = r.get("traceback").toString();
      assertTrue(report.contains("Interrupted: the cell was stopped")
          && report.contains("exited loop 'blocked-"), r.toString());
      assertTrue(ms < 1000, "the reply came " + ms + " ms after the Interrupt: " + r);
      assertEquals("ok", r.get("next_status").asText(), r.toString());
      assertEquals("42", r.get("next").asText(), r.toString());
    }
    assertEquals(rounds, latencies.size());
    System.out.println("interrupt latency, epoll run(), over Jupyter (request to reply): "
        + latencies + " ms");
  }

  @Test
  void outputOfAThreadAfterItsCellEndedCarriesThatCellsParentHeader() {
    JsonNode out = run("background");
    assertEquals("ok", out.get("status").asText(), out.toString());
    String starter = out.get("starter").asText();
    String running = out.get("running").asText();
    boolean late = false;
    boolean own = false;
    for (JsonNode s : out.get("streams")) {
      if (s.get("text").asText().contains("late from the starter")) {
        assertEquals(starter, s.get("parent").asText(), "sent under the starting cell: " + out);
        late = true;
      }
      if (s.get("text").asText().contains("the running cell")) {
        assertEquals(running, s.get("parent").asText(), out.toString());
        own = true;
      }
    }
    assertTrue(late && own, out.toString());
  }
}
