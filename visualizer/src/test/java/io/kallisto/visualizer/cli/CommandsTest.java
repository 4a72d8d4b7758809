package io.kallisto.visualizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.cli.KallistoCli;
import io.kallisto.cli.TraceViewer;
import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.VisualizerService;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kallisto view} and {@code kallisto render}, and the TraceViewer service. */
class CommandsTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** Exit code, stdout and stderr of one CLI run. */
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = KallistoCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static void assertOneLineUserError(Run r, String expected) {
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void shouldRenderTheRequestedRangeToAPng() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path trace = TestTraces.known(dir.resolve("known.ktrace"));
      Path png = dir.resolve("out.png");
      Run r = run("render", trace.toString(), "--from", "2000ns", "--to", "6us", "-o",
          png.toString(), "--width", "640", "--height", "360");
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().contains("2.00 µs to 6.00 µs"), r.out());
      BufferedImage img = ImageIO.read(png.toFile());
      assertEquals(640, img.getWidth());
      assertEquals(360, img.getHeight());
    });
  }

  @Test
  void shouldWriteThePngNextToTheTraceByDefault() throws Exception {
    Path trace = TestTraces.known(dir.resolve("beside.ktrace"));
    assertEquals(0, run("render", trace.toString()).exit());
    assertTrue(Files.size(dir.resolve("beside.png")) > 1000);
  }

  @Test
  void shouldRefuseAnEmptyRangeInOneLine() throws Exception {
    Path trace = TestTraces.known(dir.resolve("known.ktrace"));
    assertOneLineUserError(run("render", trace.toString(), "--from", "5us", "--to", "1us"),
        "--to must be after --from");
    assertOneLineUserError(run("render", trace.toString(), "--from", "later"), "'later'");
  }

  @Test
  void shouldReportAMissingFileInOneLine() {
    Path missing = dir.resolve("missing.ktrace");
    assertOneLineUserError(run("view", missing.toString()), "no such file");
    assertOneLineUserError(run("render", missing.toString()), "no such file");
  }

  @Test
  void shouldReportACorruptFileWithItsOffsetInOneLine() throws Exception {
    Path corrupt = dir.resolve("corrupt.ktrace");
    byte[] bytes = Files.readAllBytes(TestTraces.fixture());
    bytes[9] = 9; // the version's high byte: version 2305
    Files.write(corrupt, bytes);
    Run r = run("view", corrupt.toString());
    assertOneLineUserError(r, "(at byte offset 8)");
    assertTrue(r.err().startsWith("kallisto view: "), r.err());
  }

  @Test
  void shouldSayThereIsNoDisplayInsteadOfFailing() {
    // The tests run with java.awt.headless=true: there is no display to open a window on.
    Run r = run("view", TestTraces.fixture().toString());
    assertOneLineUserError(r, "no display");
    assertTrue(r.err().contains("kallisto render"), "points to the alternative: " + r.err());
  }

  @Test
  void shouldProvideTheTraceViewerThatWritesPngsWithoutADisplay() throws Exception {
    TraceViewer viewer = TraceViewer.find().orElseThrow();
    assertInstanceOf(VisualizerService.class, viewer);
    assertFalse(viewer.canOpenWindow());
    Path png = dir.resolve("viewer.png");
    viewer.writePng(TestTraces.fixture(), png, 500, 300);
    assertEquals(500, ImageIO.read(png.toFile()).getWidth());
    assertThrows(IllegalStateException.class, () -> viewer.openWindow(TestTraces.fixture()));
    Path missing = dir.resolve("nope.ktrace");
    java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
        () -> viewer.writePng(missing, png, 500, 300));
    assertTrue(e.getMessage().contains("nope.ktrace"), e.getMessage());
  }
}
