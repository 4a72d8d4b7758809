package io.kallisto.visualizer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted run's trace says so where it is looked at: a dashed mark down every lane and
 * on the ruler at the cut, and a banner with how far the run got. A whole trace has neither.
 */
class CutMarkTest {
  private static final int W = 1200;
  private static final int H = 700;

  @TempDir static Path dir;
  private static TraceModel cut;
  private static TraceModel whole;

  @BeforeAll
  static void load() throws Exception {
    cut = TraceModel.load(TestTraces.knownInterrupted(dir.resolve("cut.ktrace")));
    whole = TraceModel.load(TestTraces.known(dir.resolve("whole.ktrace")));
  }

  @Test
  void shouldDrawADashedMarkDownEveryLaneAtTheCut() {
    int[] marked = markPixels(cut);
    for (String name : new String[] {"worker-0", "worker-1"}) { // clear of the banner
      int lane = cut.lanes().stream().filter(l -> l.name().equals(name)).findFirst()
          .orElseThrow().index();
      assertTrue(marked[lane] > 4, name + ": " + marked[lane] + " pixels of the mark");
    }
    for (int n : markPixels(whole)) {
      assertEquals(0, n, "no mark on a whole trace");
    }
  }

  @Test
  void shouldSayInTheBannerHowFarTheInterruptedRunGot() {
    assertTrue(cut.interrupted());
    assertEquals("Interrupted run: cut by SIGTERM after 4.4 s of 30 s; the trace holds what ran"
        + " until then.", TimelineRenderer.bannerText(cut));
    assertFalse(whole.interrupted());
    assertNull(TimelineRenderer.bannerText(whole), "a whole trace has no banner");
  }

  /** Mark-coloured pixels in the column of the cut (5,000 ns), per lane, below the banner. */
  private static int[] markPixels(TraceModel model) {
    ViewState s = new ViewState(model);
    s.show(0, 10_000);
    BufferedImage img = TimelineImage.renderImage(s, W, H);
    TimelineLayout layout = s.layout(W, H);
    int x = (int) Math.round(s.viewport().x(TestTraces.KNOWN_CUT.time()));
    int[] counts = new int[model.lanes().size()];
    for (Lane lane : model.lanes()) {
      int top = (int) layout.laneTop(lane.index());
      int bottom = (int) (top + layout.laneHeight(lane.index()));
      for (int y = Math.max(top, (int) layout.scrollTop() + 40); y < bottom; y++) {
        if (img.getRGB(x, y) == Palette.CUT) {
          counts[lane.index()]++;
        }
      }
    }
    return counts;
  }
}
