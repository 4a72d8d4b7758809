package io.kallisto.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's cell semantics, in process: no Jupyter needed. */
class KallistoKernelTest extends KernelTests {
  @Test
  void lastExpressionOfAMultiStatementCellIsTheResult() {
    DisplayData d = eval("int a = 20;\nint b = 22;\na + b");
    assertEquals("42", d.getData(MIMEType.TEXT_PLAIN));
  }

  @Test
  void declarationsAndVoidCallsShowNoResult() {
    assertEquals(null, eval("int unseen = 1;\nSystem.out.print(\"\");"));
  }

  @Test
  void compileErrorNamesTheCellLineAndPointsAtTheMistake() {
    CellError e = failure("int ok = 1;\nint y = missingName + 1;");
    String report = String.join("\n", e.lines());
    assertTrue(report.contains("error at line 2: cannot find symbol"), report);
    assertTrue(report.contains("int y = missingName + 1;"), report);
    assertTrue(report.contains("        ^"), report);
  }

  @Test
  void exceptionIsReportedWithItsClassMessageAndOnlyTheCellsFrames() {
    CellError e = failure("void explode() { throw new IllegalStateException(\"boom\"); }\n"
        + "explode();");
    String report = String.join("\n", e.lines());
    assertTrue(report.startsWith("java.lang.IllegalStateException: boom"), report);
    assertTrue(report.contains("explode"), report);
    assertTrue(!report.contains("jdk.internal.reflect") && !report.contains("CellExecutionControl"),
        report);
  }

  @Test
  void exceptionInsideKallistoKeepsTheLibraryFramesAboveTheCell() {
    CellError e = failure("Table.of(\"a\").row(1, 2);");
    String report = String.join("\n", e.lines());
    assertTrue(report.contains("row has 2 values; the table has 1 columns"), report);
    assertTrue(report.contains("io.kallisto.notebook.Table.row"), report);
  }

  @Test
  void richValuesAndChartsShowAsHtmlAndPng() {
    DisplayData table = eval("Table.of(\"x\").row(1)");
    assertTrue(String.valueOf(table.getData(MIMEType.TEXT_HTML)).contains("<table>"));
    DisplayData chart = eval("Charts.line(\"t\", \"x\", \"y\", Series.of(\"s\", new double[] {1, 2}))");
    assertTrue(String.valueOf(chart.getData(MIMEType.IMAGE_PNG)).startsWith("iVBORw0KGgo"),
        "a base64 PNG starts with the PNG signature");
  }

  @Test
  void displayPublishesPngDuringTheCell() {
    kernel.displayed.clear();
    eval("display(Charts.bar(\"b\", \"k\", \"v\", List.of(\"a\"), Series.of(\"s\", new double[] {3})));"
        + "\ndisplay(markdown(\"**done**\"));");
    assertEquals(2, kernel.displayed.size());
    assertTrue(kernel.displayed.get(0).hasDataForType(MIMEType.IMAGE_PNG));
    assertTrue(kernel.displayed.get(1).hasDataForType(MIMEType.TEXT_MARKDOWN));
  }

  @Test
  void classpathMagicAddsAJarThatLaterCellsCanUse(@TempDir Path dir) throws IOException {
    Path jar = greeterJar(dir);
    eval("%classpath " + jar);
    assertEquals("hello from a jar", eval("new demo.Greeter().greet()")
        .getData(MIMEType.TEXT_PLAIN));
  }

  @Test
  void classpathMagicNamingNoFileIsAnError() {
    CellError e = failure("%jars /no/such/dir/*.jar\n1");
    assertTrue(String.join("\n", e.lines()).contains("matches no file"));
  }

  @Test
  void timeMagicPrintsWallAndCpuTime() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.out;
    System.setOut(new java.io.PrintStream(out, true));
    try {
      eval("%%time\nint t = 1;");
    } finally {
      System.setOut(saved);
    }
    assertTrue(out.toString().matches("(?s)wall \\d+\\.\\d{3} s, CPU .*"), out.toString());
  }

  @Test
  void interruptStopsARunawayCell() throws Exception {
    Thread interrupter = interruptOnceTheCellRuns();
    CellError e = failure(
        "while (true) { io.kallisto.notebook.kernel.CellSignals.started.countDown();"
        + " Thread.sleep(10); }");
    interrupter.join();
    assertEquals("Interrupted", e.name());
    assertEquals("42", eval("42").getData(MIMEType.TEXT_PLAIN), "the kernel still works");
  }

  @Test
  void interruptStopsACellThatIgnoresInterrupts() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 20,
        "JDK 20+ cannot stop a thread by force; the kernel tells the user to restart");
    Thread interrupter = interruptOnceTheCellRuns();
    CellError e = failure("for (long spins = 0; ; spins++) {\n"
        + "  if (spins == 0) io.kallisto.notebook.kernel.CellSignals.started.countDown();\n}");
    interrupter.join();
    assertEquals("Interrupted", e.name());
  }

  /** Interrupts the kernel once a cell counts {@link CellSignals#started} down. */
  private static Thread interruptOnceTheCellRuns() {
    CellSignals.started = new java.util.concurrent.CountDownLatch(1);
    Thread interrupter = new Thread(() -> {
      try {
        CellSignals.started.await(); // the cell runs, and never ends by itself
      } catch (InterruptedException e) {
        return;
      }
      kernel.interrupt();
    });
    interrupter.start();
    return interrupter;
  }

  /** A jar holding {@code demo.Greeter}, compiled here. */
  private static Path greeterJar(Path dir) throws IOException {
    Path src = dir.resolve("demo/Greeter.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, "package demo; public class Greeter {"
        + " public String greet() { return \"hello from a jar\"; } }");
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
        dir.resolve("classes").toString(), src.toString());
    assertEquals(0, rc, "javac");
    Path jar = dir.resolve("greeter.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("demo/Greeter.class"));
      out.write(Files.readAllBytes(dir.resolve("classes/demo/Greeter.class")));
      out.closeEntry();
    }
    return jar;
  }
}
