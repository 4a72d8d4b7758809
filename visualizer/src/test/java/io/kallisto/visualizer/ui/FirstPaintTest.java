package io.kallisto.visualizer.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.model.ReadWindow;
import io.kallisto.visualizer.model.TraceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window is on screen and shows how far a load has got before the model is built: a gate in
 * the model source holds the load half-way while the test looks at the window.
 */
@ExtendWith(ApplicationExtension.class)
class FirstPaintTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

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

  @Test
  void theWindowShowsLoadingProgressBeforeTheModelIsBuilt(FxRobot robot) {
    assertTimeoutPreemptively(LIMIT, () -> {
      CountDownLatch halfRead = new CountDownLatch(1);
      CountDownLatch gate = new CountDownLatch(1);
      window.loadWith((trace, progress) -> {
        progress.read(trace.eventCount()); // the first of two passes is done
        halfRead.countDown();
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return TraceModel.of(trace, progress);
      });
      robot.interact(() -> window.open(known));
      halfRead.await();
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
}
