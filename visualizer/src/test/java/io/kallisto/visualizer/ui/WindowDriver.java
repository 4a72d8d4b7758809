package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.RecentFiles;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.geometry.Point2D;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the window in TestFX tests as a user would, and waits for what follows: opening a
 * trace, finding where a slice is on screen, reading a label. Every wait is on a condition or
 * on the FX event queue, never a sleep.
 */
final class WindowDriver {
  private final VisualizerWindow window;
  private final FxRobot robot;

  WindowDriver(VisualizerWindow window, FxRobot robot) {
    this.window = window;
    this.robot = robot;
  }

  /**
   * The window the tests drive, shown: 1280 x 760 (Monocle's screen is 1280 x 800, and a
   * larger stage fails to draw), its recent files in {@code dir}.
   */
  static VisualizerWindow show(Stage stage, Path dir) {
    VisualizerWindow window = new VisualizerWindow(stage, new RecentFiles(dir.resolve("recent")));
    stage.setWidth(1280);
    stage.setHeight(760);
    window.show();
    return window;
  }

  /** Waits up to 20 s for {@code condition}, then for the FX queue to drain. */
  static void waitFor(String what, Callable<Boolean> condition) {
    try {
      WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what, e);
    }
    WaitForAsyncUtils.waitForFxEvents();
  }

  /**
   * Double-clicks {@code at} until {@code condition} holds, up to three times. The platform
   * counts two clicks as one double-click only if they come within its multi-click interval; on
   * a crowded machine the robot's second click can come later, and the window rightly sees two
   * single clicks. A user would double-click again; so does this.
   */
  static void doubleClickUntil(org.testfx.api.FxRobot robot, javafx.geometry.Point2D at,
      String what, Callable<Boolean> condition) {
    for (int attempt = 1; attempt <= 3; attempt++) {
      robot.doubleClickOn(at);
      try {
        WaitForAsyncUtils.waitFor(6, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
        return;
      } catch (TimeoutException e) {
        if (attempt == 3) {
          throw new AssertionError("timed out waiting for " + what + " after three"
              + " double-clicks", e);
        }
      }
    }
  }

  /**
   * A model source that reports the first of its two passes read, counts {@code halfRead} down,
   * waits for {@code gate}, then builds the model with {@code rest}: a load held half-way, to
   * look at the window while it loads.
   */
  static ModelSource heldHalfWay(java.util.concurrent.CountDownLatch halfRead,
      java.util.concurrent.CountDownLatch gate, ModelSource rest) {
    return (trace, progress) -> {
      progress.read(trace.eventCount());
      halfRead.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return rest.load(trace, progress);
    };
  }

  /** Waits until the timeline has drawn what the state now says. */
  static void waitForFrame() {
    WaitForAsyncUtils.waitForFxEvents(3);
  }

  /** Runs {@code c} on the FX thread and returns its result. */
  static <T> T onFx(Callable<T> c) {
    return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(c));
  }

  /** Opens {@code file} and waits until it is on screen and drawn. */
  ViewState open(Path file) {
    ViewState before = window.state();
    robot.interact(() -> window.open(file));
    waitFor("the trace to load", () -> window.state() != null && window.state() != before
        && window.timeline().timelineLayout() != null);
    waitForFrame();
    return window.state();
  }

  /** The screen point of canvas point ({@code x}, {@code y}). */
  Point2D screen(double x, double y) {
    return onFx(() -> window.timeline().canvas().localToScreen(x, y));
  }

  static Lane lane(ViewState s, String name) {
    return s.model().lanes().stream().filter(l -> l.name().equals(name)).findFirst()
        .orElseThrow();
  }

  /** Canvas-local centre of the slice covering {@code t} in {@code row} of {@code laneName}. */
  Point2D sliceCentre(ViewState s, String laneName, int row, long t) {
    return onFx(() -> {
      Lane lane = lane(s, laneName);
      int i = lane.sliceAt(row, lane.positionAt(row, t));
      TimelineLayout layout = window.timeline().timelineLayout();
      double x = (s.viewport().x(lane.start(i)) + s.viewport().x(lane.end(i))) / 2;
      double y = layout.rowTop(lane.index(), row) + layout.rowHeight() / 2;
      return new Point2D(x, y);
    });
  }

  /** The text of the label (or link) with CSS selector {@code id}. */
  String text(String id) {
    return onFx(() -> robot.lookup(id).queryAs(Labeled.class).getText());
  }
}
