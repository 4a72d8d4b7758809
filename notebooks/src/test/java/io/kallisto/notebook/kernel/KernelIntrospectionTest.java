package io.kallisto.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager.ResultFlag;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Shift-Tab, {@code is_complete}, history and {@code %%time}, in process. */
class KernelIntrospectionTest extends KernelTests {
  private static final Pattern TIMES = Pattern.compile("wall (\\d+\\.\\d+) s, CPU (\\d+\\.\\d+) s"
      + " \\(all threads\\), (\\d+\\.\\d+) s on the cell thread; compile and JShell (\\d+\\.\\d+)"
      + " s, not counted");

  private static String plain(DisplayData d) {
    return String.valueOf(d.getData(MIMEType.TEXT_PLAIN));
  }

  private static DisplayData inspect(String code, int at) {
    return assertTimeoutPreemptively(BOUND, () -> kernel.inspect(code, at, false));
  }

  // ---- Shift-Tab ---------------------------------------------------------------------------

  @Test
  void shiftTabOnAKallistoMethodShowsItsSignatureAndJavadocFromTheSources() {
    String code = "Dispatcher d = Dispatchers.create(\"x\");";
    DisplayData d = inspect(code, code.indexOf("create") + 2); // on the name, not at its end
    assertNotNull(d, "found");
    String text = plain(d);
    assertTrue(text.startsWith("Dispatcher Dispatchers.create(String name)"), text);
    assertTrue(text.contains("Creates a dispatcher on the chosen backend (backend())."), text);
    assertTrue(text.contains("Throws:\n  UnsupportedOperationException - if epoll is forced"),
        text);
    String html = String.valueOf(d.getData(MIMEType.TEXT_HTML));
    assertTrue(html.contains("<code>backend()</code>") && html.contains("<dt>Throws:</dt>"), html);
  }

  @Test
  void shiftTabInsideAnArgumentListAfterMagicsAndEarlierSnippetsShowsTheMethod() {
    // Names declared earlier in the same cell are not known until it runs: use static ones.
    String code = "%%time\nint a = 1;\nDispatchers.nio(\"n\").post(() -> { });";
    DisplayData d = inspect(code, code.indexOf("() ->") + 1);
    assertNotNull(d, "found");
    assertTrue(plain(d).contains("void Dispatcher.post(Runnable callback)")
        && plain(d).contains("Queues callback to run on the loop thread."), plain(d));
  }

  @Test
  void shiftTabOnAJdkMethodShowsItsSignatureAndJavadocWhenTheJdkSourcesAreInstalled() {
    DisplayData d = inspect("String.valueOf(", 15);
    assertNotNull(d, "a JDK method's signature is found even without the JDK's sources");
    assertTrue(plain(d).contains("String String.valueOf(Object obj)"), plain(d));
    Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
    Assumptions.assumeTrue(Files.isReadable(srcZip), "no Javadoc for the JDK here: " + srcZip
        + " is missing or a dangling link (Debian: apt-get install openjdk-"
        + Runtime.version().feature() + "-source)");
    assertTrue(plain(d).contains("Returns the string representation of the "), plain(d));
  }

  @Test
  void shiftTabOnAVariableShowsItsType() {
    eval("Dispatcher loop = null;");
    DisplayData d = inspect("loop.post(", 2);
    assertNotNull(d);
    assertEquals("loop:io.kallisto.event.Dispatcher", plain(d));
  }

  @Test
  void shiftTabWhereNothingIsKnownFindsNothing() {
    assertNull(inspect("noSuchNameAnywhere", 5));
    assertNull(inspect("   ", 1));
  }

  // ---- is_complete -------------------------------------------------------------------------

  @Test
  void isCompleteSaysCompleteIncompleteWithAnIndentOrInvalid() {
    assertEquals("complete", kernel.isComplete("int x = 1;"));
    assertEquals("complete", kernel.isComplete("int x = 1"), "JShell adds the semicolon");
    assertEquals("complete", kernel.isComplete("%%time\nint y = 2;\ny * 3"));
    assertEquals("complete", kernel.isComplete(""));
    assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
    assertEquals("        ", kernel.isComplete("class A {\n  void m() {"));
    assertEquals("    ", kernel.isComplete("int z = 1;\nString s = \"{\" + List.of(1,"),
        "braces inside literals do not count");
    assertEquals("", kernel.isComplete("int w = 1 +"));
    assertEquals("invalid", kernel.isComplete("int x = );"));
    assertEquals("invalid", kernel.isComplete("String s = \"no end"));
  }

  // ---- history -----------------------------------------------------------------------------

  @Test
  void historyKeepsThisSessionsCellsForTailRangeAndSearch() {
    int first = kernel.nextCell();
    eval("int h1 = 1;");
    eval("%%time\nint h2 = h1 + 1;");
    eval("h2 * 21");
    assertTimeoutPreemptively(BOUND,
        () -> assertThrows(CellError.class, () -> kernel.eval("int h3 = noSuchName;")));
    eval("int h4 = 4;");
    eval("int h4 = 4;");
    HistoryManager history = kernel.getHistoryManager();
    Set<ResultFlag> none = EnumSet.noneOf(ResultFlag.class);

    List<HistoryEntry> tail = history.lookupTail(4, EnumSet.of(ResultFlag.INCLUDE_OUTPUT));
    assertEquals(List.of(first + 2, first + 3, first + 4, first + 5), numbers(tail));
    assertEquals("h2 * 21", tail.get(0).getInput());
    assertEquals("42", tail.get(0).getOutput());
    assertEquals("CompilationException", tail.get(1).getOutput());
    assertEquals("", tail.get(2).getOutput(), "no output is the empty string, not null");

    List<HistoryEntry> range = history.lookupRange(0, first, first + 2, none);
    assertEquals(List.of(first, first + 1), numbers(range));
    assertEquals("%%time\nint h2 = h1 + 1;", range.get(1).getInput());
    assertEquals("int h2 = h1 + 1;",
        history.lookupRange(SessionHistory.SESSION, first + 1, first + 2,
            EnumSet.of(ResultFlag.TRANSFORMED_INPUT)).get(0).getInput(), "magics taken off");
    assertEquals(List.of(), history.lookupRange(-1, 0, 0, none), "no earlier session is kept");

    assertEquals(List.of(first + 1, first + 2), numbers(history.search("*h2*", 0, none)));
    assertEquals(List.of(first + 2), numbers(history.search("*h2*", 1, none)), "the last n");
    assertEquals(List.of(first + 4, first + 5), numbers(history.search("int h[4]*", 0, none)));
    assertEquals(List.of(first + 5),
        numbers(history.search("int h[4]*", 0, EnumSet.of(ResultFlag.UNIQUE))));
  }

  private static List<Integer> numbers(List<HistoryEntry> entries) {
    return entries.stream().map(HistoryEntry::getCellNumber).toList();
  }

  // ---- %%time ------------------------------------------------------------------------------

  @Test
  void timeMagicCountsExecutionAndNotCompilation() {
    StringBuilder cell = new StringBuilder("%%time\n");
    for (int i = 0; i < 40; i++) {
      cell.append("int compiled").append(i).append(" = ").append(i).append(";\n"); // 40 snippets
    }
    double[] t = timed(cell.toString());
    double wall = t[0];
    double compile = t[3];
    assertTrue(wall < compile / 4, "execution " + wall + " s, compilation " + compile + " s");
    assertTrue(wall < 0.5, "execution of 40 trivial snippets took " + wall + " s");
  }

  @Test
  void timeMagicReportsTheCpuTheCellSpends() {
    double[] t = timed("%%time\n"
        + "java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory"
        + ".getThreadMXBean();\n"
        + "long c0 = mx.getCurrentThreadCpuTime();\n"
        + "while (mx.getCurrentThreadCpuTime() - c0 < 200_000_000L) { } // 200 ms of CPU\n");
    assertTrue(t[2] >= 0.195 && t[2] < 5, "cell thread CPU " + t[2] + " s");
    assertTrue(t[1] >= 0.195, "process CPU " + t[1] + " s");
    assertTrue(t[0] >= 0.195, "wall " + t[0] + " s");
  }

  /** Runs a {@code %%time} cell; returns wall, process CPU, cell thread CPU and compile time. */
  private static double[] timed(String code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      eval(code);
    } finally {
      System.setOut(saved);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    Matcher m = TIMES.matcher(printed);
    assertTrue(m.find(), printed);
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))};
  }
}
