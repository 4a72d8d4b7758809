package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.LatencyStrip;
import io.kallisto.visualizer.model.Requests;
import io.kallisto.visualizer.model.SliceRef;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Viewport;

/**
 * Draws what requests went through, over the lanes: each worker's latency heat strip (in the
 * strip above its rows, one colour per pixel column, from pale at the median latency to
 * vermilion at p99 and beyond), and, when the view asks for it, an outline around both sides of
 * every request at least as slow as its threshold. Allocates nothing per frame.
 */
final class LatencyRenderer {
  /** The pale end of the ramp: the median. */
  private static final int COOL = 0xFFF5E6D0;

  /** Draws {@code lane}'s heat strip, if it served requests. */
  void drawStrip(ViewState state, TimelineLayout layout, Lane lane, DrawSurface g) {
    Requests requests = state.model().requests();
    if (requests.size() == 0) {
      return;
    }
    LatencyStrip strip = requests.strip();
    if (!strip.has(lane.index())) {
      return;
    }
    long cool = requests.percentile(50);
    long hot = requests.percentile(99);
    Viewport vp = state.viewport();
    double y = layout.laneTop(lane.index());
    double h = layout.stripHeight();
    double left = Math.max(vp.left(), Math.floor(vp.x(state.model().firstTime())));
    double right = vp.left() + vp.width();
    int runColor = 0;
    double runX0 = left;
    for (double x = left; x < right; x++) {
      long worst = strip.max(lane.index(), (long) Math.floor(vp.time(x)),
          (long) Math.floor(vp.time(x + 1)));
      int color = worst < 0 ? 0 : Palette.blend(COOL, Palette.VERMILION,
          Math.round(8 * LatencyStrip.heat(worst, cool, hot)) / 8.0);
      if (color != runColor) {
        if (runColor != 0) {
          g.fillRect(runX0, y, x - runX0, h, runColor);
        }
        runColor = color;
        runX0 = x;
      }
    }
    if (runColor != 0) {
      g.fillRect(runX0, y, right - runX0, h, runColor);
    }
  }

  /** Outlines both sides of every request at least {@link ViewState#slowThreshold()} slow. */
  void drawSlow(ViewState state, TimelineLayout layout, DrawSurface g) {
    long threshold = state.slowThreshold();
    if (threshold < 0) {
      return;
    }
    Requests requests = state.model().requests();
    int[] slow = requests.atLeast(threshold);
    Viewport vp = state.viewport();
    double lastX = Double.NEGATIVE_INFINITY;
    // by start; a request starts before it can end in view, so skip those that ended before
    for (int k : slow) {
      if (requests.start(k) > vp.to()) {
        break;
      }
      if (requests.end(k) < vp.from()) {
        continue;
      }
      double x = Math.floor(vp.x(requests.start(k)));
      double width = vp.x(requests.end(k)) - x;
      if (x == lastX && width < 3) {
        continue; // one outline per pixel column is all the eye can see zoomed out
      }
      lastX = x;
      outline(state, layout, requests.server(k), g);
      outline(state, layout, requests.client(k), g);
    }
  }

  private static void outline(ViewState state, TimelineLayout layout, SliceRef ref,
      DrawSurface g) {
    if (ref == null) {
      return;
    }
    Lane lane = state.model().lanes().get(ref.lane());
    int row = lane.rowOf(ref.slice());
    if (row < 0 || row >= layout.visibleRows(lane.index())) {
      return;
    }
    Viewport vp = state.viewport();
    double x0 = Math.max(vp.left() - 2, vp.x(lane.start(ref.slice())));
    double x1 = Math.min(vp.left() + vp.width() + 2, vp.x(lane.end(ref.slice())));
    double w = Math.max(3, x1 - x0);
    double y = layout.rowTop(lane.index(), row);
    g.strokeRect(x0 - 1, y + 0.5, w + 1, layout.rowHeight() - 2, Palette.VERMILION,
        2 * layout.scale());
  }
}
