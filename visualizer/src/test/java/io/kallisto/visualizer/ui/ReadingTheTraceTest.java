package io.kallisto.visualizer.ui;

import static io.kallisto.visualizer.ui.WindowDriver.onFx;
import static io.kallisto.visualizer.ui.WindowDriver.waitFor;
import static io.kallisto.visualizer.ui.WindowDriver.waitForFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.DirectRequests;
import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.CounterTrack;
import io.kallisto.visualizer.model.Figures;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.PostRef;
import io.kallisto.visualizer.model.Search;
import io.kallisto.visualizer.model.SliceDetails;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Reading a trace in the window, headless (TestFX on Monocle): searching for request kinds and
 * ids with "n of m", the value of a counter under the pointer, figures that stay on one line
 * (also in presentation mode), and following "posted by" to the post.
 */
@ExtendWith(ApplicationExtension.class)
class ReadingTheTraceTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  /** A 9-digit figure, as the side panel must show it whole. */
  private static final long NINE_DIGITS = 123_456_789L;

  @TempDir static Path dir;
  private static Path hol;
  private static Path known;
  private static Path big;

  private VisualizerWindow window;
  private WindowDriver driver;

  @BeforeAll
  static void traces() throws Exception {
    hol = assertTimeoutPreemptively(LIMIT, () -> TestTraces.headOfLine(dir.resolve("hol.ktrace")));
    known = TestTraces.known(dir.resolve("known.ktrace"));
    // A request with a 9-digit id starting 123.456789 ms in, and a queue depth of 123,456,789
    // sampled long before it.
    big = TestTraces.synthetic()
        .thread("worker-0", r -> r
            .poll(0, 1_000, true)
            .counter("queue depth", 1_000, NINE_DIGITS)
            .requestBegin(NINE_DIGITS, NINE_DIGITS, 2)
            .requestEnd(NINE_DIGITS + 5_000, NINE_DIGITS)
            .work(1_000, NINE_DIGITS + 10_000))
        .write(dir.resolve("big.ktrace"));
  }

  @Start
  void start(Stage stage) {
    window = WindowDriver.show(stage, dir);
  }

  private WindowDriver driver(FxRobot robot) {
    driver = new WindowDriver(window, robot);
    return driver;
  }

  private String count() {
    return driver.text("#searchCount");
  }

  @Test
  void shouldSearchRequestKindsAndIdsWithNOfMAndStepBothWays(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = driver(robot).open(hol);
      DirectRequests requests = DirectRequests.of(hol);
      // the server's slice and the client's span of each: both are sleep requests
      long sleeps = requests.ofKind(DirectRequests.SLEEP)
          + requests.answeredOfKind(DirectRequests.SLEEP);
      robot.clickOn("#search").write("sleep");
      String all = String.format(Locale.ROOT, "%,d results", sleeps);
      waitFor("the count", () -> all.equals(count()));
      robot.type(KeyCode.ENTER);
      String of = " of " + Figures.count(sleeps);
      waitFor("the first result", () -> ("1" + of).equals(count()));
      assertEquals("sleep request", driver.text("#sel-label"));
      robot.type(KeyCode.F3);
      waitFor("the second", () -> ("2" + of).equals(count()));
      long second = onFx(() -> s.model().lanes().get(s.selection().lane())
          .start(s.selection().slice()));
      robot.clickOn("#searchPrevious");
      waitFor("back to the first", () -> ("1" + of).equals(count()));
      assertTrue(onFx(() -> s.model().lanes().get(s.selection().lane())
          .start(s.selection().slice())) <= second, "the first comes no later");
      robot.clickOn("#searchPrevious");
      waitFor("the last, wrapping", () -> (Figures.count(sleeps) + of).equals(count()));
      robot.clickOn("#searchNext");
      waitFor("the first again", () -> ("1" + of).equals(count()));

      // The results list: a click on its third line goes to the third result.
      ListCell<?> third = onFx(() -> robot.lookup("#results .list-cell")
          .queryAllAs(ListCell.class).stream().filter(c -> c.getIndex() == 2).findFirst()
          .orElseThrow());
      assertTrue(onFx(() -> third.getText()).contains("sleep request"), third.getText());
      robot.clickOn(third);
      waitFor("the third", () -> ("3" + of).equals(count()));
      Search search = onFx(s::search);
      assertEquals(search.result(2).sliceRef(), onFx(s::selection));

      // A request id finds that request.
      long[] some = requests.ends().get(requests.ends().size() / 3);
      String id = Long.toString(some[0]);
      robot.doubleClickOn("#search").eraseText(5).write(id);
      waitFor("the id's results", () -> onFx(() -> s.search() != null
          && s.search().text().equals(id)));
      long withId = onFx(() -> s.search().sliceTotal());
      assertEquals(requests.withId(some[0]) + requests.answeredWithId(some[0]), withId);
      long tracks = onFx(() -> s.search().trackTotal());
      robot.type(KeyCode.ENTER);
      for (long k = 0; k < tracks; k++) {
        robot.type(KeyCode.ENTER); // past any thread or counter whose name holds the digits
      }
      waitFor("the request", () -> id.equals(onFx(() -> s.selection() == null ? null
          : SliceDetails.value(SliceDetails.of(s.model(), s.selection()),
          SliceDetails.REQUEST_ID))));
      assertEquals(id, driver.text("#sel-request-id"));
    });
  }

  @Test
  void shouldShowTheValueOfACounterUnderThePointerAndWhenItWasSampled(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = driver(robot).open(hol);
      CounterTrack track = s.model().counterTracks().stream()
          .filter(t -> t.name().equals("open connections") && t.threadName().equals("worker-0"))
          .findFirst().orElseThrow();
      TimelineLayout layout = onFx(() -> window.timeline().timelineLayout());
      double x = layout.timelineLeft() + layout.timelineWidth() * 0.55;
      double y = onFx(() -> window.timeline().timelineLayout().trackTop(track.index()))
          + layout.trackHeight() / 2;
      robot.moveTo(driver.screen(x, y));
      waitFor("the readout", () -> onFx(() -> {
        String r = window.timeline().stats().readout;
        return r != null && r.startsWith(track.title() + ": ");
      }));
      long t = onFx(() -> Math.round(s.viewport().time(s.pointerX())));
      // The value straight from the file: the last sample at or before t.
      long[] sample = {-1, -1};
      try (TraceFile f = TraceFile.open(hol)) {
        int thread = f.threads().entrySet().stream()
            .filter(e -> e.getValue().equals("worker-0")).findFirst().orElseThrow().getKey();
        f.forEach(e -> {
          if (e.type() == EventType.COUNTER && e.thread() == thread && e.time() <= t
              && e.label().equals("open connections") && e.time() >= sample[0]) {
            sample[0] = e.time();
            sample[1] = e.a();
          }
        });
      }
      assertTrue(sample[0] >= 0, "worker-0 sampled its connections before " + t);
      String want = track.title() + ": " + Figures.count(sample[1])
          + (t > sample[0] ? " (sampled " + TimeFormat.duration(t - sample[0]) + " earlier)" : "");
      assertEquals(want, onFx(() -> window.timeline().stats().readout));

      // Over the label column, the same track's full name.
      robot.moveTo(driver.screen(layout.trackIndent() + 12, y));
      waitFor("the full name", () -> onFx(() -> track.title()
          .equals(window.timeline().stats().readout)));
    });
  }

  /** Opens the known trace and clicks worker-0's "handle A", the callback of main's post. */
  private ViewState openKnownAndSelectHandleA(FxRobot robot) {
    ViewState s = driver(robot).open(known);
    Point2D a = driver.sliceCentre(s, "worker-0", 1, 2500);
    robot.clickOn(driver.screen(a.getX(), a.getY()));
    waitFor("the details", () -> "handle A".equals(driver.text("#sel-label")));
    return s;
  }

  /** True if {@code l} shows its whole text on one line. */
  private static boolean oneWholeLine(Label l) {
    Text shown = (Text) l.lookup(".text");
    double lineHeight = l.getFont().getSize() * 1.6;
    return shown != null && shown.getText().equals(l.getText()) && l.getHeight() < lineHeight;
  }

  @Test
  void shouldKeepANineDigitFigureOnOneLineInANarrowPanel(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = driver(robot).open(big);
      // The panel narrowed to 200 px: far too narrow for "123,456,789 (sampled ...)".
      robot.interact(() -> window.splitPane().setDividerPositions(
          1 - 200 / window.splitPane().getWidth()));
      Lane lane = s.model().lanes().get(0);
      int request = -1;
      for (int i = 0; i < lane.sliceCount(); i++) {
        if (lane.start(i) == NINE_DIGITS) {
          request = i;
        }
      }
      int slice = request;
      robot.interact(() -> {
        s.select(new io.kallisto.visualizer.model.SliceRef(0, slice));
        s.setCursor(NINE_DIGITS + 2_000);
      });
      waitFor("the details", () -> robot.lookup("#sel-request-id").tryQuery().isPresent());
      waitFor("the cursor", () -> !driver.text("#cursor-0-queue").isEmpty());
      waitForFrame();
      assertEquals("123456789", driver.text("#sel-request-id"));
      assertEquals("123.456789 ms", driver.text("#sel-start"));
      assertEquals("123,456,789", driver.text("#cursor-0-queue"));
      assertTrue(driver.text("#cursor-0-queue-note").startsWith("(sampled 123 ms earlier"),
          driver.text("#cursor-0-queue-note"));
      for (String id : new String[] {"#sel-request-id", "#sel-start", "#cursor-0-queue"}) {
        Label l = robot.lookup(id).queryAs(Label.class);
        assertTrue(onFx(() -> oneWholeLine(l)), id + " on one line, whole: height "
            + onFx(l::getHeight) + " for a font of " + onFx(() -> l.getFont().getSize()));
      }
      assertTrue(onFx(() -> window.details().getWidth()) < 260, "the panel is narrow");
    });
  }

  @Test
  void shouldScaleTheSidePanelInPresentationModeAndKeepItsFiguresVisible(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = openKnownAndSelectHandleA(robot);
      Label start = robot.lookup("#sel-start").queryAs(Label.class);
      double before = onFx(() -> start.getFont().getSize());
      double panel = onFx(() -> window.details().getWidth());
      robot.clickOn("#timelineCanvas", javafx.scene.input.MouseButton.SECONDARY);
      robot.type(KeyCode.P);
      waitFor("presentation mode", () -> onFx(s::presentation)
          && onFx(() -> start.getFont().getSize()) > before);
      waitForFrame();
      double after = onFx(() -> start.getFont().getSize());
      assertTrue(after >= before * 1.5, "the panel's font grows: " + before + " -> " + after);
      assertTrue(onFx(() -> window.details().getWidth()) > panel * 1.3, "and the panel widens");
      for (String id : new String[] {"#sel-start", "#sel-duration", "#sel-queueing-delay"}) {
        Label l = robot.lookup(id).queryAs(Label.class);
        assertTrue(onFx(() -> oneWholeLine(l)), id + " on one line, whole");
        Bounds label = onFx(() -> l.localToScene(l.getBoundsInLocal()));
        Bounds view = onFx(() -> window.details().localToScene(window.details().getBoundsInLocal()));
        assertTrue(label.getMaxX() <= view.getMaxX(), id + " ends at " + label.getMaxX()
            + ", inside the panel, which ends at " + view.getMaxX());
      }
    });
  }

  @Test
  void shouldJumpToThePostWhenPostedByIsClickedAndBackToItsCallback(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = openKnownAndSelectHandleA(robot);
      robot.interact(() -> s.show(5_000, 9_000)); // the post, at 500, is out of view
      assertTrue(driver.text("#sel-posted-by").startsWith("main at"));
      robot.clickOn(robot.lookup("#sel-posted-by").queryAs(Hyperlink.class));
      waitFor("the post", () -> onFx(s::selectedPost) != null);
      PostRef post = onFx(s::selectedPost);
      Lane main = WindowDriver.lane(s, "main");
      assertEquals(main.index(), post.lane());
      assertEquals(500, main.posts().time(post.post()), "the post that ran as handle A");
      assertTrue(onFx(() -> s.viewport().from() <= 500 && s.viewport().to() >= 2100),
          "the post and its callback are in view");
      waitFor("the post's details", () -> "post".equals(driver.text("#sel-kind")));
      assertEquals("worker-0", driver.text("#sel-posted-to"));
      assertTrue(driver.text("#sel-ran-as").startsWith("handle A"), driver.text("#sel-ran-as"));
      robot.clickOn(robot.lookup("#sel-ran-as").queryAs(Hyperlink.class));
      waitFor("back to the callback", () -> "handle A".equals(driver.text("#sel-label")));
      assertNotNull(onFx(s::selection));
    });
  }
}
