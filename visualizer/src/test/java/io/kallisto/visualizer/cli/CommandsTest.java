package io.kallisto.visualizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.cli.KallistoCli;
import io.kallisto.cli.TraceViewer;
import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.VisualizerService;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.render.TimelineImage;
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

  /**
   * A short range of a long trace reads only the events blocks whose time range meets it, as
   * the block index says (counted by the reader, and checked here against the index), and draws
   * the same picture as the whole trace drawn over that range.
   */
  @Test
  void renderingARangeReadsOnlyTheBlocksThatMeetItAndDrawsWhatTheWholeTraceDraws() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path trace = TestTraces.manyBlocks(dir.resolve("long.ktrace"));
      long from = 1_000_000;
      long to = 1_050_000;
      int meeting = 0;
      int all;
      try (TraceFile file = TraceFile.open(trace)) {
        all = file.blocks().size();
        for (TraceFile.BlockInfo b : file.blocks()) {
          if (b.last() >= file.firstTime() + from && b.first() <= file.firstTime() + to) {
            meeting++;
          }
        }
      }
      assertTrue(all >= 30 && meeting >= 3 && meeting <= 6, meeting + " of " + all);
      Path png = dir.resolve("range.png");
      Run r = run("render", trace.toString(), "--from", "1ms", "--to", "1.05ms", "-o",
          png.toString(), "--width", "640", "--height", "360");
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().contains(String.format("; read %d of %d blocks)", meeting, all)),
          r.out());

      TraceModel whole = TraceModel.load(trace);
      ViewState state = new ViewState(whole);
      state.show(whole.firstTime() + (double) from, whole.firstTime() + (double) to);
      BufferedImage expected = TimelineImage.renderImage(state, 640, 360);
      BufferedImage got = ImageIO.read(png.toFile());
      int differ = 0;
      for (int y = 0; y < 360; y++) {
        for (int x = 0; x < 640; x++) {
          if (expected.getRGB(x, y) != got.getRGB(x, y)) {
            differ++;
          }
        }
      }
      assertEquals(0, differ, "pixels that differ from the whole trace's picture of the range");
    });
  }

  @Test
  void viewRefusesAnEmptyOrFilelessRangeInOneLineBeforeAnyWindow() throws Exception {
    Path trace = TestTraces.known(dir.resolve("known.ktrace"));
    assertOneLineUserError(run("view", trace.toString(), "--from", "2ms", "--to", "1ms"),
        "--from=2.00 ms --to=1.00 ms: the range is empty; --to must be after --from");
    assertOneLineUserError(run("view", "--from", "2ms"), "--from/--to need a FILE");
    assertOneLineUserError(run("view", trace.toString(), "--to", "soon"), "--to=");
  }

  @Test
  void shouldPrintATwoMillisecondWindowTenSecondsInWithBothEndsApart() {
    assertEquals("10.00000 s to 10.00200 s (2.00 ms)",
        RenderCommand.window(10_000_000_000L, 10_002_000_000L));
    assertEquals("1.50000 ms to 1.50200 ms (2.00 µs)", RenderCommand.window(1_500_000, 1_502_000));
    assertEquals("0 ns to 27.0 s", RenderCommand.window(0, 27_000_000_000L));
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

  /** Every place {@code render -o} must not write: none may change a byte in the folder. */
  @Test
  void shouldNeverRenderOverItsInputADirectoryOrASpecialFile() throws Exception {
    Path trace = TestTraces.known(dir.resolve("in.ktrace"));
    Files.createDirectory(dir.resolve("sub"));
    Path plain = Files.writeString(dir.resolve("plain.txt"), "a regular file");
    Path fifo = mkfifo(dir.resolve("pipe"));
    Path[] targets = {trace, dir.resolve("sub/../in.ktrace"),
        Files.createLink(dir.resolve("hard.ktrace"), trace),
        Files.createSymbolicLink(dir.resolve("soft.ktrace"), trace.getFileName()),
        dir.resolve("sub"), Path.of("/dev/null"), fifo, plain.resolve("out.png")};
    java.util.Map<String, String> before = snapshot();
    for (Path target : targets) {
      Run r = assertTimeoutPreemptively(LIMIT,
          () -> run("render", trace.toString(), "-o", target.toString()));
      assertOneLineUserError(r, "kallisto render: -o " + target + ": ");
      assertEquals(before, snapshot(), "render -o " + target);
    }
    // Its own default output beside a trace named like a PNG: never the trace itself.
    Path pngNamed = Files.copy(trace, dir.resolve("x.png"));
    assertEquals(0, run("render", pngNamed.toString()).exit());
    assertTrue(Files.size(dir.resolve("x.png.png")) > 1000);
    assertEquals(Files.size(trace), Files.size(pngNamed));
  }

  @Test
  void shouldRefuseAFifoOrADeviceAsTheTraceWithoutBlocking() throws Exception {
    Path fifo = mkfifo(dir.resolve("pipe"));
    for (String command : new String[] {"render", "view"}) {
      assertOneLineUserError(assertTimeoutPreemptively(LIMIT, () -> run(command,
          fifo.toString())), fifo + ": is a FIFO (named pipe), not a regular file");
      assertOneLineUserError(assertTimeoutPreemptively(LIMIT, () -> run(command, "/dev/zero")),
          "/dev/zero: is a character device, not a regular file");
    }
  }

  private static Path mkfifo(Path path) throws Exception {
    // All three streams inherited: no pipe of ours left for the garbage collector to close.
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0);
    return path;
  }

  /** Each entry under the folder: its kind, or for a regular file its bytes' hash. */
  private java.util.Map<String, String> snapshot() throws Exception {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        out.put(dir.relativize(p).toString(), Files.isSymbolicLink(p) ? "link"
            : Files.isDirectory(p) ? "dir" : Files.isRegularFile(p)
                ? java.util.Arrays.toString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(p))) : "special");
      }
    }
    return out;
  }
}
