package io.kallisto.visualizer.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.model.BlockOverview;
import io.kallisto.visualizer.model.ReadWindow;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.render.Palette;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window is on screen and shows how far a load has got before the model is built, and the
 * timeline shows the whole trace from its block headers, a lane per thread with its name, until
 * the model takes its place; a load that fails takes both away. A gate in the model source holds
 * the load half-way while the test looks at the window.
 */
@ExtendWith(ApplicationExtension.class)
class FirstPaintTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final List<String> THREADS = List.of("main", "worker-0", "worker-1");

  @TempDir static Path dir;
  private static Path known;

  private VisualizerWindow window;

  @BeforeAll
  static void traces() throws Exception {
    known = TestTraces.known(dir.resolve("known.ktrace"));
  }

  @Start
  void start(Stage stage) {
    window = WindowDriver.show(stage, dir);
  }

  /** Opens the known trace with its load held half-way; the gate returned lets it go on. */
  private CountDownLatch openHeldHalfWay(FxRobot robot, ModelSource rest)
      throws InterruptedException {
    CountDownLatch halfRead = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    window.loadWith(WindowDriver.heldHalfWay(halfRead, gate, rest));
    robot.interact(() -> window.open(known));
    halfRead.await();
    return gate;
  }

  @Test
  void theWindowShowsLoadingProgressBeforeTheModelIsBuilt(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      CountDownLatch gate = openHeldHalfWay(robot, TraceModel::of);
      WindowDriver.waitFor("the progress to reach half", () -> WindowDriver.onFx(
          () -> window.loading().shownProgress() == 0.5));
      assertTrue(WindowDriver.onFx(() -> window.stage().isShowing()), "the window is up");
      assertTrue(WindowDriver.onFx(() -> window.loading().isShowing()), "progress is shown");
      assertEquals("Loading known.ktrace: 50 %", WindowDriver.onFx(() -> window.loading()
          .shownText()));
      assertNull(WindowDriver.onFx(() -> window.state()), "no model yet: the load is held");

      gate.countDown();
      WindowDriver.waitFor("the trace to load", () -> WindowDriver.onFx(
          () -> window.state() != null));
      assertFalse(WindowDriver.onFx(() -> window.loading().isShowing()),
          "the progress goes once the trace is on screen");
      assertTrue(WindowDriver.onFx(() -> window.stage().getTitle()).contains("known.ktrace"));
    });
  }

  /** {@code kallisto view --from 1ms --to 1.05ms FILE}: only that part, and the banner says so. */
  @Test
  void openingAPartReadsOnlyTheBlocksThatMeetItAndTheBannerSaysSo(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path long_ = TestTraces.manyBlocks(dir.resolve("long.ktrace"));
      int meeting = 0;
      int all;
      try (TraceFile file = TraceFile.open(long_)) {
        all = file.blocks().size();
        for (TraceFile.BlockInfo b : file.blocks()) {
          if (b.last() >= file.firstTime() + 1_000_000 && b.first() <= file.firstTime() + 1_050_000) {
            meeting++;
          }
        }
      }
      robot.interact(() -> window.open(long_, new ReadWindow(1_000_000, 1_050_000)));
      WindowDriver.waitFor("the part to load", () -> WindowDriver.onFx(
          () -> window.state() != null));
      TraceModel model = WindowDriver.onFx(() -> window.state().model());
      assertEquals(meeting, model.blocksRead());
      assertTrue(meeting <= all / 5, meeting + " of " + all);
      assertEquals(3, model.lanes().size());
      String banner = WindowDriver.onFx(() -> ((javafx.scene.control.Label) robot
          .lookup("#banner").query()).getText());
      assertTrue(banner.startsWith("Showing 1.00 ms to 1.05 ms of 2.00 ms only (read " + meeting
          + " of " + all + " blocks)"), banner);
    });
  }

  @Test
  void aTraceThatCannotBeReadTakesTheProgressAwayAndSaysWhy(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path broken = dir.resolve("broken.ktrace");
      Files.writeString(broken, "not a trace at all, but long enough to have a header");
      CountDownLatch failed = new CountDownLatch(1);
      window.onLoadFailure(e -> failed.countDown());
      robot.interact(() -> window.open(broken));
      failed.await();
      WindowDriver.waitFor("the error dialog", () -> WindowDriver.onFx(
          () -> window.lastError() != null));
      assertFalse(WindowDriver.onFx(() -> window.loading().isShowing()));
      assertNull(WindowDriver.onFx(() -> window.state()));
    });
  }

  @Test
  void theOverviewNamesEveryThreadBeforeTheModelIsBuiltAndTheModelReplacesIt(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      CountDownLatch gate = openHeldHalfWay(robot, TraceModel::of);
      TimelineView timeline = window.timeline();
      WindowDriver.waitFor("the overview at 50 %", () -> WindowDriver.onFx(() -> {
        String caption = timeline.overviewRenderer().lastCaption();
        return caption != null && caption.endsWith("loading detail… 50 %");
      }));
      assertNull(WindowDriver.onFx(() -> window.state()), "no model yet: the load is held");
      BlockOverview overview = WindowDriver.onFx(timeline::overview);
      assertNotNull(overview, "the overview is on screen");
      List<String> drawn = WindowDriver.onFx(() -> {
        List<String> labels = new ArrayList<>();
        for (int l = 0; l < overview.laneCount(); l++) {
          labels.add(timeline.overviewRenderer().lastLabel(l));
        }
        return labels;
      });
      assertEquals(THREADS, drawn, "a lane per thread, named");
      assertTrue(WindowDriver.onFx(() -> barPixels(timeline)) > 0, "bars are on the canvas");

      gate.countDown();
      WindowDriver.waitFor("the trace to load", () -> WindowDriver.onFx(
          () -> window.state() != null && timeline.timelineLayout() != null));
      WindowDriver.waitForFrame();
      assertNull(WindowDriver.onFx(timeline::overview), "the model replaced the overview");
      assertEquals(THREADS.size(), WindowDriver.onFx(() -> window.state().model().lanes().size()));
      assertTrue(WindowDriver.onFx(() -> timeline.stats().slices) > 0,
          "the timeline draws the model's slices");
    });
  }

  @Test
  void aLoadThatFailsAfterTheOverviewTakesItAway(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      CountDownLatch failed = new CountDownLatch(1);
      window.onLoadFailure(e -> failed.countDown());
      CountDownLatch gate = openHeldHalfWay(robot, (trace, progress) -> {
        throw new IllegalStateException("the model could not be built");
      });
      WindowDriver.waitFor("the overview", () -> WindowDriver.onFx(
          () -> window.timeline().overviewRenderer().lastCaption() != null));
      gate.countDown();
      failed.await();
      WindowDriver.waitFor("the error dialog", () -> WindowDriver.onFx(
          () -> window.lastError() != null));
      assertNull(WindowDriver.onFx(() -> window.timeline().overview()));
      assertFalse(WindowDriver.onFx(() -> window.loading().isShowing()));
      assertNull(WindowDriver.onFx(() -> window.state()));
    });
  }

  /** Pixels of the overview's bar colour on the timeline's canvas. */
  private static int barPixels(TimelineView timeline) {
    WritableImage image = timeline.canvas().snapshot(null, null);
    PixelReader pixels = image.getPixelReader();
    int n = 0;
    for (int y = 0; y < (int) image.getHeight(); y++) {
      for (int x = 0; x < (int) image.getWidth(); x++) {
        if ((pixels.getArgb(x, y) | 0xFF000000) == Palette.SKY_BLUE) {
          n++;
        }
      }
    }
    return n;
  }
}
