package io.kallisto.visualizer.ui;

import static io.kallisto.visualizer.ui.WindowDriver.onFx;
import static io.kallisto.visualizer.ui.WindowDriver.waitFor;
import static io.kallisto.visualizer.ui.WindowDriver.waitForFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.RequestTiming;
import io.kallisto.visualizer.model.Requests;
import io.kallisto.visualizer.model.SliceRef;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Victims;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.geometry.Point2D;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The victims of head-of-line blocking in the window, on a simulated {@code
 * head-of-line-blocking} run (the same requests in every run, whatever the machine's load; the
 * real engine's client side is checked in {@code ScenarioTraceTest}): a request clicked on either side (the client's span, the server's slice) shows its
 * end-to-end latency and names the sleep request it waited behind as a link that selects it;
 * the range statistics list the slowest requests with their blockers; "Slow requests" sets the
 * threshold to p99.
 */
@ExtendWith(ApplicationExtension.class)
class VictimsWindowTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  private static Path hol;

  private VisualizerWindow window;

  @BeforeAll
  static void trace() {
    hol = assertTimeoutPreemptively(LIMIT,
        () -> TestTraces.simulatedHeadOfLine(dir.resolve("hol.ktrace")));
  }

  @Start
  void start(Stage stage) {
    window = WindowDriver.show(stage, dir);
  }

  /**
   * Commits {@code text} in the threshold box, as Enter in its editor does (it sets the value,
   * which fires the box's action). Set directly rather than typed: on a narrow screen the
   * toolbar may have moved the box into its overflow menu.
   */
  @SuppressWarnings("unchecked")
  private static void type(FxRobot robot, String text) {
    ComboBox<String> box = robot.lookup("#slowThreshold").queryAs(ComboBox.class);
    robot.interact(() -> box.setValue(text));
  }

  /** The slowest request that waited behind a sleep request: a victim. */
  private static int victim(ViewState s) {
    Requests r = s.model().requests();
    for (int k : r.slowest(Long.MIN_VALUE, Long.MAX_VALUE, r.size())) {
      RequestTiming t = RequestTiming.of(s.model(), k);
      if (r.joined(k) && t.blocker() != null && t.blockerText(s.model()).contains("sleep request")
          && !r.label(k).startsWith("sleep")) {
        return k;
      }
    }
    throw new AssertionError("no request waited behind a sleep request");
  }

  /**
   * Zooms to {@code ref} and clicks it, as a user would. The point is read from the layout the
   * timeline last drew; on a crowded machine that frame may still be the one before the zoom,
   * so a click that selected nothing is aimed again from the next frame (at most three times).
   */
  private void click(FxRobot robot, ViewState s, SliceRef ref) throws Exception {
    robot.interact(() -> {
      s.selectAndReveal(ref);
      s.select(null);
    });
    for (int attempt = 1; ; attempt++) {
      waitForFrame();
      Point2D centre = onFx(() -> {
        Lane lane = s.model().lanes().get(ref.lane());
        TimelineLayout layout = window.timeline().timelineLayout();
        double x = (s.viewport().x(lane.start(ref.slice()))
            + s.viewport().x(lane.end(ref.slice()))) / 2;
        double y = layout.rowTop(lane.index(), lane.rowOf(ref.slice())) + layout.rowHeight() / 2;
        return window.timeline().canvas().localToScreen(x, y);
      });
      robot.clickOn(centre);
      try {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> ref.equals(onFx(s::selection)));
        return;
      } catch (TimeoutException e) {
        if (attempt == 3) {
          throw new AssertionError("three clicks did not select " + ref + "; selected "
              + onFx(s::selection), e);
        }
      }
    }
  }

  @Test
  void shouldShowLatencyAndNameTheBlockerOnEitherSideOfAVictim(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      WindowDriver driver = new WindowDriver(window, robot);
      ViewState s = driver.open(hol);
      int k = onFx(() -> victim(s));
      Requests r = s.model().requests();
      RequestTiming t = RequestTiming.of(s.model(), k);
      String latency = TimeFormat.duration(t.endToEnd());
      String blocker = t.blockerText(s.model());
      assertTrue(t.blockedFor() > 10_000_000L, "waited most of a 20 ms sleep: " + blocker);
      for (SliceRef side : List.of(r.client(k), r.server(k))) {
        click(robot, s, side);
        waitFor("the details of " + side, () -> latency.equals(driver.text("#sel-end-to-end")));
        assertEquals(blocker, driver.text("#sel-waited-behind"));
      }
      robot.clickOn("#sel-waited-behind");
      waitFor("the blocker selected", () -> t.blocker().equals(onFx(s::selection)));
      assertTrue(driver.text("#sel-label").startsWith("sleep request"));
    });
  }

  @Test
  void shouldListTheSlowestRequestsOfARangeWithTheirBlockers(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      WindowDriver driver = new WindowDriver(window, robot);
      ViewState s = driver.open(hol);
      long from = s.model().firstTime();
      long to = s.model().lastTime() + 1;
      robot.interact(() -> s.selectRange(from, to));
      Victims want = Victims.of(s.model(), from, to, Victims.SHOWN);
      Victims.Victim slowest = want.list().get(0);
      waitFor("the victims", () -> onFx(() -> robot.lookup("#victim-0").tryQuery().isPresent()));
      assertEquals(slowest.name(), driver.text("#victim-0"));
      assertEquals(TimeFormat.duration(slowest.latency()), driver.text("#victim-0-latency"));
      for (int n = 0; n < want.list().size(); n++) {
        Victims.Victim v = want.list().get(n);
        assertEquals(v.name(), driver.text("#victim-" + n), "line " + n);
        if (v.blocker() != null) {
          assertEquals(v.blocker(), driver.text("#victim-" + n + "-blocker"), "line " + n);
        }
      }
      // the list is at the foot of a long section: its link's action, as a click would run it
      robot.interact(() -> robot.lookup("#victim-0").queryAs(Hyperlink.class).fire());
      waitFor("the slowest selected", () -> slowest.slice().equals(onFx(s::selection)));

      robot.clickOn("#slowRequests");
      long p99 = s.model().requests().percentile(99);
      waitFor("the threshold", () -> onFx(s::slowThreshold) == p99);
      assertTrue(p99 > 10_000_000L, "p99 holds the waits behind 20 ms sleeps: " + p99);

      // Another threshold: a percentile, then a duration, typed into the box; a bad entry is
      // marked and leaves the threshold in force.
      long p90 = s.model().requests().percentile(90);
      type(robot, "p90");
      waitFor("p90", () -> onFx(s::slowThreshold) == p90);
      assertEquals("Slow requests ≥ " + TimeFormat.duration(p90) + " (p90)",
          onFx(() -> robot.lookup("#slowRequests").queryAs(ToggleButton.class).getText()));
      type(robot, "5ms");
      waitFor("5 ms", () -> onFx(s::slowThreshold) == 5_000_000L);
      type(robot, "p100");
      waitFor("the refusal", () -> onFx(() -> window.slowThreshold().problem()) != null);
      assertTrue(onFx(() -> window.slowThreshold().problem()).startsWith("'p100': a percentile"));
      assertEquals(5_000_000L, (long) onFx(s::slowThreshold));
    });
  }
}
