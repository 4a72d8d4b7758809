package io.kallisto.visualizer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.Requests;
import io.kallisto.visualizer.model.SliceRef;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pixels of the latency heat strip and of the slow-request outlines, on the synthetic
 * head-of-line trace ({@link TestTraces#blocked}): request 1 (20.4 µs, the median) and request
 * 2 (20.7 µs, the p99) in flight to worker-0.
 */
class LatencyPixelsTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final int W = 1200;
  private static final int H = 700;

  @TempDir static Path dir;
  private static TraceModel model;

  @BeforeAll
  static void load() throws Exception {
    model = TraceModel.load(TestTraces.blocked(dir.resolve("blocked.ktrace")));
  }

  private static RecordingSurface draw(ViewState s) {
    RecordingSurface g = new RecordingSurface(W, H);
    new TimelineRenderer().draw(s, s.layout(W, H), g);
    return g;
  }

  private static int stripPixel(RecordingSurface g, ViewState s, long t) {
    Lane worker = model.lanes().stream().filter(l -> l.name().equals("worker-0")).findFirst()
        .orElseThrow();
    TimelineLayout layout = s.layout(W, H);
    int y = (int) (layout.laneTop(worker.index()) + layout.stripHeight() / 2);
    return g.image().getRGB((int) s.viewport().x(t), y);
  }

  @Test
  void shouldPaintTheStripHotWhileTheP99RequestIsInFlightAndPaleForTheMedianAlone() {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = new ViewState(model);
      s.show(0, 30_000);
      RecordingSurface g = draw(s);
      assertEquals(Palette.VERMILION, stripPixel(g, s, 10_000), "request 2, the p99, in flight");
      int median = stripPixel(g, s, 500);
      assertNotEquals(Palette.VERMILION, median, "request 1 alone: the median");
      assertTrue(((median >> 16) & 0xff) > 0xF0, "pale: " + Integer.toHexString(median));
      assertEquals(0xFFFFFFFF, stripPixel(g, s, 25_000) | 0xFF000000,
          "nothing in flight: no colour (the lane's white background)");
    });
  }

  @Test
  void shouldOutlineBothSidesOfEachSlowRequestOnlyWhenAsked() {
    assertTimeoutPreemptively(LIMIT, () -> {
      ViewState s = new ViewState(model);
      s.show(0, 30_000);
      assertTrue(vermilionOutlines(draw(s)).isEmpty(), "off by default");
      Requests r = model.requests();
      s.highlightSlow(r.percentile(99));
      List<RecordingSurface.Stroke> outlines = vermilionOutlines(draw(s));
      assertEquals(2, outlines.size(), "request 2's two sides, not request 1: " + outlines);
      int k = r.find(2);
      for (SliceRef side : List.of(r.server(k), r.client(k))) {
        Lane lane = model.lanes().get(side.lane());
        double x = s.viewport().x(lane.start(side.slice()));
        assertTrue(outlines.stream().anyMatch(o -> Math.abs(o.x() + 1 - x) < 1),
            "an outline starts at " + x + ": " + outlines);
      }
    });
  }

  private static List<RecordingSurface.Stroke> vermilionOutlines(RecordingSurface g) {
    return g.strokes.stream().filter(o -> o.argb() == Palette.VERMILION).toList();
  }
}
