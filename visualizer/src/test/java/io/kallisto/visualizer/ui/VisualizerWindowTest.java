package io.kallisto.visualizer.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.DirectStats;
import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.SliceCategory;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.render.Palette;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window, driven like a user drives it, headless (TestFX on Monocle): open, play and pause,
 * zoom and pan, select a slice and a range, search, open broken files.
 */
@ExtendWith(ApplicationExtension.class)
class VisualizerWindowTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static Path known;
  private static Path real;
  /** Ten seconds of virtual time: at 0.01x a replay never reaches its end during a test. */
  private static Path longRun;

  private VisualizerWindow window;

  @BeforeAll
  static void traces() throws Exception {
    known = TestTraces.known(dir.resolve("known.ktrace"));
    real = TestTraces.realRun(dir.resolve("real.ktrace"));
    longRun = TestTraces.synthetic()
        .thread("worker-0", r -> {
          for (long i = 0; i < 1000; i++) {
            r.poll(i * 10_000_000, 9_000_000, true).work(i * 10_000_000 + 9_000_000, 1_000_000);
          }
        })
        .write(dir.resolve("long.ktrace"));
  }

  @Start
  void start(Stage stage) {
    window = WindowDriver.show(stage, dir);
  }

  // ---- helpers: see WindowDriver -----------------------------------------------------------

  private static void waitFor(String what, Callable<Boolean> condition) {
    WindowDriver.waitFor(what, condition);
  }

  private ViewState open(FxRobot robot, Path file) {
    return new WindowDriver(window, robot).open(file);
  }

  private void waitForFrame() {
    WindowDriver.waitForFrame();
  }

  private <T> T onFx(Callable<T> c) {
    return WindowDriver.onFx(c);
  }

  private Point2D screen(double x, double y) {
    return onFx(() -> window.timeline().canvas().localToScreen(x, y));
  }

  private Lane lane(ViewState s, String name) {
    return WindowDriver.lane(s, name);
  }

  private Point2D sliceCentre(ViewState s, String laneName, int row, long t) {
    return new WindowDriver(window, null).sliceCentre(s, laneName, row, t);
  }

  private String text(FxRobot robot, String id) {
    return new WindowDriver(window, robot).text(id);
  }

  // ---- tests -------------------------------------------------------------------------------

  @Test
  void shouldOpenATraceNameTheFileInTheTitleAndDrawItsSlices(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      assertEquals("Kallisto", onFx(() -> window.stage().getTitle()));
      ViewState s = open(robot, known);
      // The synthetic trace is written on a virtual clock, so the title says so.
      assertEquals("Kallisto — known.ktrace · simulated (virtual time)",
          onFx(() -> window.stage().getTitle()));
      robot.interact(() -> s.show(0, 10_000));
      waitForFrame();
      Point2D tick = sliceCentre(s, "worker-0", 1, 5000);
      Point2D work = sliceCentre(s, "worker-0", 0, 3000);
      int[] argb = onFx(() -> {
        WritableImage img = window.timeline().canvas().snapshot(null, null);
        double right = s.viewport().x(5500) - 4;
        return new int[] {img.getPixelReader().getArgb((int) right, (int) tick.getY() + 6),
            img.getPixelReader().getArgb((int) work.getX() + 40, (int) work.getY() + 6)};
      });
      assertEquals(Palette.ORANGE, argb[0], "the timer callback, drawn by the FX canvas");
      assertEquals(Palette.SKY_BLUE, argb[1], "the work slice");
      assertTrue(Files.readString(dir.resolve("recent")).contains("known.ktrace"),
          "added to the recent files");
    });
  }

  @Test
  void shouldPlayThenPauseTheReplayCursor(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, longRun);
      robot.interact(() -> robot.lookup("#speed").queryAs(javafx.scene.control.Slider.class)
          .setValue(-2));
      assertEquals("0.01×", text(robot, "#speedLabel"));
      robot.clickOn("#play");
      long start = s.model().firstTime();
      waitFor("the cursor to move", () -> s.cursor() > start);
      assertTrue(window.replay().isPlaying());
      robot.clickOn("#play");
      assertFalse(onFx(() -> window.replay().isPlaying()));
      long paused = onFx(s::cursor);
      WaitForAsyncUtils.waitForFxEvents(10);
      assertEquals(paused, onFx(s::cursor), "a paused cursor stays put");
      assertTrue(paused < s.model().lastTime(), "at 0.01x it has not reached the end");
      assertEquals("▶", onFx(() -> robot.lookup("#play").queryButton().getText()));
      // the state panel follows the cursor
      String id = "#cursor-" + lane(s, "worker-0").index() + "-state";
      String want = io.kallisto.visualizer.model.CursorState.at(s.model(), paused).get(0).state();
      waitFor("the state at the cursor", () -> want.equals(text(robot, id)));
    });
  }

  @Test
  void shouldStepToTheNextAndPreviousEvent(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, known);
      robot.clickOn("#stepNext");
      assertEquals(0, onFx(s::cursor).longValue()); // the first step shows the start
      robot.clickOn("#stepNext");
      assertEquals(100, onFx(s::cursor).longValue()); // main's "setup" begins
      robot.clickOn("#stepNext");
      assertEquals(400, onFx(s::cursor).longValue());
      robot.clickOn("#stepPrevious");
      assertEquals(100, onFx(s::cursor).longValue());
      waitFor("the cursor panel", () -> !text(robot, "#cursor-0-state").isEmpty());
      assertEquals("in post callback setup", text(robot, "#cursor-0-state"));
    });
  }

  @Test
  void shouldZoomAroundThePointerWithTheWheelAndKeysAndPanByDragAndKeys(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, known);
      TimelineLayout layout = onFx(() -> window.timeline().timelineLayout());
      double x = layout.timelineLeft() + layout.timelineWidth() * 0.3;
      double y = layout.rowTop(1, 0) + 5;
      robot.moveTo(screen(x, y));
      double span = onFx(() -> s.viewport().span());
      double under = onFx(() -> s.viewport().time(x));
      robot.scroll(3, VerticalDirection.UP);
      waitFor("a zoom", () -> s.viewport().span() != span);
      assertEquals(under, onFx(() -> s.viewport().time(x)), span / 1000, "time under the pointer");
      // The wheel turned away from the user (positive deltaY in JavaFX) zooms in.
      double before = onFx(() -> s.viewport().span());
      robot.interact(() -> javafx.event.Event.fireEvent(window.timeline().canvas(),
          new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL, x, y, x, y,
              false, false, false, false, false, false, 0, 40, 0, 40,
              javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
              javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null)));
      double zoomed = onFx(() -> s.viewport().span());
      assertTrue(zoomed < before, "wheel away zooms in: " + before + " -> " + zoomed);
      assertEquals(under, onFx(() -> s.viewport().time(x)), span / 1000, "time under the pointer");

      robot.type(KeyCode.W);
      assertTrue(onFx(() -> s.viewport().span()) < zoomed * 0.9, "W zooms in");
      robot.type(KeyCode.S);
      robot.type(KeyCode.S);
      assertTrue(onFx(() -> s.viewport().span()) > zoomed, "S zooms out");

      robot.interact(() -> s.show(4000, 6000)); // away from the ends, where panning stops
      double from = onFx(() -> s.viewport().from());
      robot.type(KeyCode.D);
      assertTrue(onFx(() -> s.viewport().from()) > from, "D pans to later times");
      robot.type(KeyCode.A);
      assertEquals(from, onFx(() -> s.viewport().from()), 1e-6, "A pans back");

      double ns = onFx(() -> s.viewport().nsPerPixel());
      robot.drag(screen(x, y), MouseButton.PRIMARY).dropTo(screen(x + 100, y));
      assertEquals(from - 100 * ns, onFx(() -> s.viewport().from()), ns * 2,
          "dragging right by 100 px shows 100 px earlier");
      robot.type(KeyCode.F);
      assertTrue(onFx(() -> s.viewport().from() <= 0 && s.viewport().to() >= 10_000),
          "F fits the whole trace");
    });
  }

  @Test
  void shouldShowTheDetailsOfAClickedSliceAndZoomToItOnDoubleClick(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, known);
      robot.interact(() -> s.show(0, 10_000));
      waitForFrame();
      Point2D tick = sliceCentre(s, "worker-0", 1, 5000);
      robot.clickOn(screen(tick.getX(), tick.getY()));
      waitFor("the details", () -> robot.lookup("#sel-kind").tryQuery().isPresent());
      assertEquals("timer callback", text(robot, "#sel-kind"));
      assertEquals("tick", text(robot, "#sel-label"));
      assertEquals("1.00 µs", text(robot, "#sel-duration"));
      assertEquals("500 ns", text(robot, "#sel-lateness"));

      Point2D a = sliceCentre(s, "worker-0", 1, 2500);
      robot.clickOn(screen(a.getX(), a.getY()));
      waitFor("other details", () -> "handle A".equals(text(robot, "#sel-label")));
      assertEquals("1.60 µs", text(robot, "#sel-queueing-delay"));
      assertTrue(text(robot, "#sel-wakeup").startsWith("written"));

      WindowDriver.doubleClickUntil(robot, screen(a.getX(), a.getY()), "the zoom",
          () -> s.viewport().span() < 2000);
      assertTrue(onFx(() -> s.viewport().from() <= 2100 && s.viewport().to() >= 3100),
          "the whole slice stays in view");
    });
  }

  @Test
  void shouldShowRangeStatisticsThatMatchTheTraceFile(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, real);
      TimelineLayout layout = onFx(() -> window.timeline().timelineLayout());
      double x0 = layout.timelineLeft() + layout.timelineWidth() * 0.2;
      double x1 = layout.timelineLeft() + layout.timelineWidth() * 0.8;
      double y = layout.rulerHeight() / 2;
      robot.drag(screen(x0, y), MouseButton.PRIMARY).dropTo(screen(x1, y));
      waitFor("the range", () -> window.details().rangeStats() != null);
      long from = onFx(s::rangeFrom);
      long to = onFx(s::rangeTo);
      assertTrue(to - from > 0.5 * s.viewport().span(), "about 60 % of the view selected");
      for (Lane lane : s.model().lanes()) {
        DirectStats want = DirectStats.of(real, lane.threadId(), from, to);
        String id = "#range-" + lane.index() + "-";
        String busy = Double.isNaN(want.busyPercent()) ? "-"
            : String.format(Locale.ROOT, "%.1f", want.busyPercent());
        assertEquals(busy, text(robot, id + "busy"), lane.name());
        assertEquals(Long.toString(want.callbacksByKind()[SliceCategory.POST_CALLBACK.ordinal()]),
            text(robot, id + "post"), lane.name());
        assertEquals(Long.toString(want.callbacksByKind()[SliceCategory.TIMER_CALLBACK.ordinal()]),
            text(robot, id + "timer"), lane.name());
        assertEquals(want.p99() < 0 ? "-"
            : io.kallisto.visualizer.model.TimeFormat.duration(want.p99()),
            text(robot, id + "p99"), lane.name());
      }
      robot.type(KeyCode.ESCAPE);
      assertFalse(onFx(s::hasRange));
    });
  }

  @Test
  void shouldSearchLabelsAndJumpToTheFirstMatch(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, known);
      robot.clickOn("#search").write("HANDLE");
      waitFor("the count", () -> "2 results".equals(text(robot, "#searchCount")));
      robot.type(KeyCode.ENTER);
      waitFor("the jump", () -> s.selection() != null);
      Lane w0 = lane(s, "worker-0");
      assertEquals("handle A", s.model().string(w0.labelId(onFx(s::selection).slice())));
    });
  }

  @Test
  void shouldExplainACorruptFileWithItsOffsetAndStayUsable(FxRobot robot) throws Exception {
    Path corrupt = dir.resolve("corrupt.ktrace");
    byte[] bytes = Files.readAllBytes(known);
    bytes[0] = 'X';
    Files.write(corrupt, bytes);
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState first = open(robot, known);
      robot.interact(() -> window.open(corrupt));
      waitFor("the error dialog", () -> window.lastError() != null
          && window.lastError().isShowing());
      String content = onFx(() -> window.lastError().getContentText());
      assertTrue(content.contains("not a Kallisto trace"), content);
      assertTrue(content.contains("at byte offset 0"), content);
      assertTrue(onFx(() -> window.lastError().getHeaderText()).contains("corrupt.ktrace"));
      assertEquals(first, onFx(() -> window.state()), "the trace on screen stays");
      robot.interact(() -> window.lastError().close());
      // and the window still works: another file opens
      ViewState second = open(robot, real);
      assertEquals("Kallisto — real.ktrace", onFx(() -> window.stage().getTitle()));
      assertNotNull(second);
    });
  }

  @Test
  void shouldOpenACutFileWithABannerSayingHowMuchWasLost(FxRobot robot) throws Exception {
    Path cut = TestTraces.truncated(real, dir.resolve("cut.ktrace"), Files.size(real) - 100);
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, cut);
      assertNotNull(s.model().damage());
      assertTrue(onFx(() -> robot.lookup("#bannerBox").query().isVisible()));
      String banner = text(robot, "#banner");
      assertTrue(banner.contains(String.format(Locale.ROOT, "%,d bytes",
          s.model().damage().lostBytes())), banner);
      assertTrue(banner.contains("byte offset"), banner);
      assertTrue(onFx(() -> window.stage().getTitle()).endsWith("(damaged)"));
      ViewState whole = open(robot, known);
      assertNull(whole.model().damage());
      assertFalse(onFx(() -> robot.lookup("#bannerBox").query().isVisible()));
    });
  }

  @Test
  void shouldShowWhereAndWhyAnInterruptedRunWasCutInTheSidePanelBannerAndTitle(FxRobot robot)
      throws Exception {
    Path cut = TestTraces.knownInterrupted(dir.resolve("interrupted.ktrace"));
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, cut);
      assertTrue(s.model().interrupted());
      assertEquals("interrupted by SIGTERM after 4.4 s of 30 s; cut 5.000 µs into the trace",
          text(robot, "#trace-recording"));
      assertEquals("checked (CRC32)", text(robot, "#trace-header"));
      assertTrue(onFx(() -> robot.lookup("#bannerBox").query().isVisible()));
      assertTrue(text(robot, "#banner").startsWith("Interrupted run: cut by SIGTERM after 4.4 s"
          + " of 30 s"), text(robot, "#banner"));
      assertTrue(onFx(() -> window.stage().getTitle()).endsWith("(interrupted)"));
      assertEquals(1, onFx(() -> window.timeline().stats().cutMarks),
          "the mark is drawn on the timeline");

      open(robot, TestTraces.fixture()); // version 1: says nothing of how it ended
      assertEquals("not recorded (format version 1)", text(robot, "#trace-recording"));
      assertEquals("no check (format version 1 has no header checksum)",
          text(robot, "#trace-header"));
      assertFalse(onFx(() -> robot.lookup("#bannerBox").query().isVisible()));
    });
  }

  @Test
  void shouldExportTheViewAndEnlargeEverythingInPresentationMode(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = open(robot, known);
      double row = onFx(() -> window.timeline().timelineLayout().rowHeight());
      robot.clickOn("#timelineCanvas", MouseButton.SECONDARY);
      robot.type(KeyCode.P);
      waitForFrame();
      assertTrue(onFx(s::presentation));
      assertTrue(onFx(() -> window.timeline().timelineLayout().rowHeight()) > row * 1.5);
      Path png = dir.resolve("export.png");
      robot.interact(() -> window.exportPng(png));
      BufferedImage img = ImageIO.read(png.toFile());
      assertEquals((int) onFx(() -> window.timeline().canvas().getWidth()).doubleValue(),
          img.getWidth());
      robot.type(KeyCode.L);
      assertTrue(onFx(s::allFlows), "L shows every post's arrow");
    });
  }
}
