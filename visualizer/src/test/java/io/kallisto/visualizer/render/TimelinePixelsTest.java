package io.kallisto.visualizer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.CallbackKind;
import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offscreen renderer's pixels: lanes in their places, known slices in their colours. */
class TimelinePixelsTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int W = 1200;
  private static final int H = 700;

  @TempDir static Path dir;
  private static TraceModel known;

  @BeforeAll
  static void load() throws Exception {
    known = TraceModel.load(TestTraces.known(dir.resolve("known.ktrace")));
  }

  /** Renders [0, 10000] ns of the known trace and returns the state it was drawn from. */
  private static ViewState view() {
    ViewState s = new ViewState(known);
    s.show(0, 10_000);
    return s;
  }

  private static Lane lane(String name) {
    return known.lanes().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  /** The colour near the right end of the slice covering {@code t}, clear of its label. */
  private static int colourOfSliceAt(BufferedImage img, ViewState s, TimelineLayout layout,
      String laneName, int row, long t) {
    Lane lane = lane(laneName);
    int i = lane.sliceAt(row, lane.positionAt(row, t));
    int x = (int) s.viewport().x(lane.end(i)) - 4;
    int y = (int) (layout.rowTop(lane.index(), row) + layout.rowHeight() * 0.85);
    return img.getRGB(x, y);
  }

  @Test
  void shouldPaintKnownSlicesInTheirCategoryColours() {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = view();
      BufferedImage img = TimelineImage.renderImage(s, W, H);
      TimelineLayout layout = s.layout(W, H);
      assertEquals(Palette.BLUE, colourOfSliceAt(img, s, layout, "worker-0", 1, 2500));
      assertEquals(Palette.ORANGE, colourOfSliceAt(img, s, layout, "worker-0", 1, 5000));
      assertEquals(Palette.SKY_BLUE, colourOfSliceAt(img, s, layout, "worker-0", 0, 3000));
      assertEquals(Palette.POLL_WAIT, colourOfSliceAt(img, s, layout, "worker-0", 0, 1000));
      assertEquals(Palette.BLUISH_GREEN, colourOfSliceAt(img, s, layout, "worker-1", 1, 8000));
      assertEquals(Palette.REDDISH_PURPLE, colourOfSliceAt(img, s, layout, "worker-1", 2, 6500));
      assertEquals(Palette.BLUE, colourOfSliceAt(img, s, layout, "main", 1, 200));
    });
  }

  @Test
  void shouldDrawEachLaneWithItsNameInTheLabelColumn() {
    ViewState s = view();
    BufferedImage img = TimelineImage.renderImage(s, W, H);
    TimelineLayout layout = s.layout(W, H);
    for (Lane lane : known.lanes()) {
      int top = (int) layout.rowTop(lane.index(), 0);
      int dark = 0;
      for (int y = top; y < top + layout.rowHeight(); y++) {
        for (int x = 4; x < layout.labelWidth() - 4; x++) {
          if (Palette.luminance(img.getRGB(x, y)) < 0.2) {
            dark++;
          }
        }
      }
      assertTrue(dark > 20, "the name of " + lane.name() + " is written: " + dark + " pixels");
      // Between the name and the timeline the column is the panel colour.
      assertEquals(Palette.PANEL, img.getRGB((int) layout.labelWidth() - 3, top + 2));
    }
    // An empty stretch of a lane is its background: worker-0's callbacks end at 5500, and its
    // lane, the second, has the alternate background.
    Lane w0 = lane("worker-0");
    int y = (int) (layout.rowTop(w0.index(), 1) + layout.rowHeight() / 2);
    assertEquals(w0.index() % 2 == 1 ? Palette.LANE_ALT : Palette.BACKGROUND,
        img.getRGB((int) s.viewport().x(9250), y)); // off the grid lines
  }

  @Test
  void shouldShadeTheSelectedRangeAndOutlineTheSelection() {
    ViewState s = view();
    TimelineLayout layout = s.layout(W, H);
    int y = (int) (layout.rowTop(lane("worker-0").index(), 1) + layout.rowHeight() + 3);
    int x = (int) s.viewport().x(9000);
    s.selectRange(8500, 9500);
    BufferedImage img = TimelineImage.renderImage(s, W, H);
    assertTrue(img.getRGB(x, y) != Palette.BACKGROUND, "range shading over the lane");
    assertTrue((img.getRGB(x, y) & 0xff) > ((img.getRGB(x, y) >> 16) & 0xff), "a blue tint");
  }

  @Test
  void shouldWriteAPngOfTheRequestedSize() throws Exception {
    byte[] png = TimelineImage.render(known, 0, 10_000, 900, 500);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(900, back.getWidth());
    assertEquals(500, back.getHeight());
  }

  @Test
  void shouldMergeSlicesNarrowerThanAPixelSoDrawingIsBoundedByTheWidth() throws Exception {
    assertTimeoutPreemptively(LIMIT, () -> {
      int n = 200_000;
      TraceModel dense = TraceModel.load(TestTraces.synthetic()
          .thread("busy", r -> {
            for (int i = 0; i < n; i++) {
              r.callback(i % 3 == 0 ? CallbackKind.TIMER : CallbackKind.POST, "cb", i * 100L, 40,
                  0);
            }
            r.work(0, n * 100L);
          })
          .write(dir.resolve("dense.ktrace")));
      ViewState s = new ViewState(dense);
      TimelineRenderer r = new TimelineRenderer();
      Java2DSurface surface = new Java2DSurface(1000, 400);
      TimelineLayout layout = s.layout(1000, 400);
      r.draw(s, layout, surface);
      TimelineRenderer.Stats whole = r.stats();
      double width = layout.timelineWidth();
      assertTrue(whole.mergedSlices >= n - 2 * width, "merged " + whole.mergedSlices);
      assertTrue(whole.slices + whole.densityBars <= 2 * 2 * width,
          "draw calls bounded by the width: " + whole.slices + " + " + whole.densityBars);
      // Zoomed in to 20 slices, each is drawn as itself.
      s.show(50_000, 52_000);
      r.draw(s, s.layout(1000, 400), surface);
      assertEquals(0, r.stats().mergedSlices);
      assertTrue(r.stats().slices >= 20 && r.stats().slices <= 23, "slices " + r.stats().slices);
    });
  }
}
