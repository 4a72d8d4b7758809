package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.Flow;
import io.kallisto.visualizer.model.Flows;
import io.kallisto.visualizer.model.Instants;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.PostRef;
import io.kallisto.visualizer.model.PostTargets;
import io.kallisto.visualizer.model.SliceRef;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Viewport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Arrows from a {@code post()} (or a slot update) to the callback it caused: those of the
 * selected slice or post, and with "all flows" those of every post in view.
 *
 * <p>Arrows between the same two threads are taken together per stretch of {@value #BUNDLE_PX}
 * pixels (stretches fixed in trace time, so that they do not move while panning). Where a
 * stretch holds at least {@value #MIN_BUNDLE} arrows, closer on average than
 * {@value #ARROW_SPACING_PX} pixels (the room an arrowhead needs), they are drawn as one thick
 * arrow with their count ("312 posts → worker-1"); zoomed in far enough, the same posts are
 * single arrows with heads.
 * Counting a stretch costs two binary searches in {@link PostTargets}, so a zoomed-out view of
 * millions of posts costs a few dozen searches, and nothing is allocated per arrow.
 */
final class FlowRenderer {
  /** The width of the stretch within which arrows between two threads are counted. */
  static final double BUNDLE_PX = 160;
  /** Arrows closer than this on average would merge into a wedge: they become a bundle. */
  static final double ARROW_SPACING_PX = 8;
  /** Fewer arrows than this are drawn one by one even when they overlap. */
  static final int MIN_BUNDLE = 3;
  /** A bundle's colour: a dark translucent grey that neither wakeup colour claims. */
  static final int BUNDLE = 0xB3434A54;

  private final Drawing drawing;
  private final TimelineRenderer.Stats stats;
  /** Label boxes drawn this frame (x0, y0, x1, y1 each), so that bundle labels never overlap. */
  private double[] boxes = new double[64];
  private int boxCount;
  /** Bundle labels of this frame, drawn after every arrow so that no arrow crosses one. */
  private String[] labels = new String[16];
  private SliceRef flowsOfSlice;
  private PostRef flowsOfPost;
  private TraceModel flowsOfModel;
  private List<Flow> selected = List.of();

  FlowRenderer(Drawing drawing, TimelineRenderer.Stats stats) {
    this.drawing = drawing;
    this.stats = stats;
  }

  void draw(ViewState state, TimelineLayout layout, DrawSurface g) {
    boxCount = 0;
    drawSelected(state, layout, g);
    if (state.allFlows()) {
      drawAll(state, layout, g);
    }
    double size = layout.smallFontSize();
    for (int i = 0; i < boxCount; i++) {
      Drawing.pill(g, labels[i], boxes[4 * i] + size * 0.35, boxes[4 * i + 3] - size * 0.35,
          size, true, 0xFFFFFFFF, 0xE6343A42);
      labels[i] = null;
    }
  }

  // ---- the selection's flows -----------------------------------------------------------------

  /** The flows of the selection, computed once per selection, sorted by threads then time. */
  private List<Flow> selectedFlows(ViewState state) {
    if (state.model() != flowsOfModel || state.selection() != flowsOfSlice
        || state.selectedPost() != flowsOfPost) {
      flowsOfModel = state.model();
      flowsOfSlice = state.selection();
      flowsOfPost = state.selectedPost();
      List<Flow> flows = new ArrayList<>();
      if (flowsOfSlice != null) {
        flows.addAll(Flows.of(state.model(), flowsOfSlice, Flows.MAX_ARROWS));
      } else if (flowsOfPost != null) {
        Flow f = Flows.ofPost(state.model(), flowsOfPost);
        if (f != null) {
          flows.add(f);
        }
      }
      flows.sort(Comparator.comparingInt(Flow::fromLane).thenComparingInt(Flow::toLane)
          .thenComparing(Flow::slot).thenComparingLong(Flow::fromTime));
      selected = flows;
    }
    return selected;
  }

  private void drawSelected(ViewState state, TimelineLayout layout, DrawSurface g) {
    List<Flow> flows = selectedFlows(state);
    Viewport vp = state.viewport();
    double bucketNs = BUNDLE_PX * layout.scale() * vp.nsPerPixel();
    long origin = state.model().firstTime();
    int i = 0;
    while (i < flows.size()) {
      Flow f = flows.get(i);
      long bucket = bucket(f.fromTime(), origin, bucketNs);
      int j = i + 1;
      while (j < flows.size() && sameStretch(f, flows.get(j), bucket, origin, bucketNs)) {
        j++;
      }
      if (dense(vp, layout, j - i, f.fromTime(), flows.get(j - 1).fromTime())) {
        Flow m = flows.get((i + j) >>> 1);
        bundle(state, layout, g, m.fromLane(), m.fromTime(), m.toLane(), m.toSlice(), m.toTime(),
            j - i, m.slot());
      } else {
        for (int k = i; k < j; k++) {
          Flow a = flows.get(k);
          arrow(state, layout, g, a.fromLane(), a.fromTime(), a.toLane(), a.toSlice(), a.toTime(),
              a.wakeup(), a.slot());
        }
      }
      i = j;
    }
  }

  private static boolean sameStretch(Flow a, Flow b, long bucket, long origin, double bucketNs) {
    return a.fromLane() == b.fromLane() && a.toLane() == b.toLane() && a.slot() == b.slot()
        && bucket(b.fromTime(), origin, bucketNs) == bucket;
  }

  private static long bucket(long t, long origin, double bucketNs) {
    return (long) Math.floor((t - origin) / bucketNs);
  }

  /** True if {@code n} arrows sent from {@code first} to {@code last} are too close to tell. */
  private static boolean dense(Viewport vp, TimelineLayout layout, int n, long first, long last) {
    return n >= MIN_BUNDLE
        && vp.x(last) - vp.x(first) < (n - 1) * ARROW_SPACING_PX * layout.scale();
  }

  // ---- every post in view --------------------------------------------------------------------

  private void drawAll(ViewState state, TimelineLayout layout, DrawSurface g) {
    TraceModel model = state.model();
    Viewport vp = state.viewport();
    PostTargets targets = model.postTargets();
    double bucketNs = BUNDLE_PX * layout.scale() * vp.nsPerPixel();
    long origin = model.firstTime();
    long from = (long) Math.floor(vp.from());
    long to = (long) Math.floor(vp.to()) + 1;
    int lanes = model.lanes().size();
    for (int a = 0; a < lanes; a++) {
      Instants posts = model.lanes().get(a).posts();
      for (int b = 0; b < lanes; b++) {
        if (targets.count(a, b) == 0) {
          continue;
        }
        Lane target = model.lanes().get(b);
        int k = targets.firstAtOrAfter(model, a, b, from);
        int end = targets.firstAtOrAfter(model, a, b, to);
        while (k < end) {
          long t = posts.time(targets.post(a, b, k));
          long stretchEnd = origin + (long) Math.ceil((bucket(t, origin, bucketNs) + 1) * bucketNs);
          int next = Math.max(k + 1, Math.min(end, targets.firstAtOrAfter(model, a, b,
              stretchEnd)));
          if (dense(vp, layout, next - k, t, posts.time(targets.post(a, b, next - 1)))) {
            int m = targets.post(a, b, (k + next) >>> 1);
            int cb = target.postCallbackOf(posts.b(m));
            bundle(state, layout, g, a, posts.time(m), b, cb, cb < 0 ? posts.time(m)
                : target.start(cb), next - k, false);
          } else {
            for (int q = k; q < next && stats.arrows < Flows.MAX_ARROWS; q++) {
              int p = targets.post(a, b, q);
              int cb = target.postCallbackOf(posts.b(p));
              if (cb >= 0) {
                arrow(state, layout, g, a, posts.time(p), b, cb, target.start(cb),
                    posts.kind(p) == 1, false);
              }
            }
          }
          k = next;
        }
      }
      drawSlotFlows(state, layout, g, model.lanes().get(a), from, to);
    }
  }

  /** Slot updates are rare (a config push): each is drawn as its own arrows. */
  private void drawSlotFlows(ViewState state, TimelineLayout layout, DrawSurface g, Lane lane,
      long from, long to) {
    Instants slots = lane.slots();
    for (int k = slots.firstAtOrAfter(from); k < slots.size() && slots.time(k) <= to
        && stats.arrows < Flows.MAX_ARROWS; k++) {
      if (slots.kind(k) != 0) {
        continue;
      }
      for (Lane t : state.model().lanes()) {
        int cb = t.slotCallbackOf(slots.b(k));
        if (cb >= 0) {
          arrow(state, layout, g, lane.index(), slots.time(k), t.index(), cb, t.start(cb), false,
              true);
        }
      }
    }
  }

  // ---- drawing -------------------------------------------------------------------------------

  private double fromY(TimelineLayout layout, int lane) {
    return layout.laneTop(lane) + layout.stripHeight() * 0.7;
  }

  private double toY(ViewState state, TimelineLayout layout, int fromLane, int toLane, int slice) {
    Lane to = state.model().lanes().get(toLane);
    int row = slice < 0 ? 0 : Math.max(0, to.rowOf(slice));
    row = Math.min(row, layout.visibleRows(toLane) - 1);
    return layout.rowTop(toLane, row) + (toLane == fromLane ? 0 : layout.rowHeight() / 2);
  }

  private void arrow(ViewState state, TimelineLayout layout, DrawSurface g, int fromLane,
      long fromTime, int toLane, int toSlice, long toTime, boolean wakeup, boolean slot) {
    Viewport vp = state.viewport();
    double x0 = vp.x(fromTime);
    double x1 = vp.x(toTime);
    if (Math.max(x0, x1) < vp.left() || Math.min(x0, x1) > vp.left() + vp.width()) {
      return;
    }
    double y0 = fromY(layout, fromLane);
    double y1 = toY(state, layout, fromLane, toLane, toSlice);
    int color = slot ? Palette.REDDISH_PURPLE : wakeup ? Palette.VERMILION : Palette.AVOIDED;
    double lw = (wakeup || slot ? 1.6 : 1.2) * layout.scale();
    g.line(x0, y0, x1, y1, color, lw, !wakeup && !slot);
    drawing.arrowHead(g, x0, y0, x1, y1, 6 * layout.scale(), color);
    g.fillRect(x0 - 1.5, y0 - 1.5, 3, 3, color);
    stats.arrows++;
  }

  /**
   * One thick arrow for {@code count} flows from {@code fromLane} to {@code toLane}, drawn
   * where the middle one of them runs, with the count beside it.
   */
  private void bundle(ViewState state, TimelineLayout layout, DrawSurface g, int fromLane,
      long fromTime, int toLane, int toSlice, long toTime, int count, boolean slot) {
    Viewport vp = state.viewport();
    double x0 = Math.max(vp.left(), Math.min(vp.left() + vp.width(), vp.x(fromTime)));
    double x1 = Math.max(vp.left(), Math.min(vp.left() + vp.width(), vp.x(toTime)));
    double y0 = fromY(layout, fromLane);
    double y1 = toY(state, layout, fromLane, toLane, toSlice);
    double s = layout.scale();
    g.line(x0, y0, x1, y1, BUNDLE, 3.5 * s, false);
    drawing.arrowHead(g, x0, y0, x1, y1, 10 * s, BUNDLE);
    stats.bundles++;
    stats.bundledFlows += count;
    String label = count + (slot ? " slot updates → " : " posts → ")
        + state.model().lanes().get(toLane).name();
    double size = layout.smallFontSize();
    double w = g.textWidth(label, size, true) + size * 0.7;
    double lx = Math.max(vp.left() + 2, Math.min(vp.left() + vp.width() - w, x0 + 5 * s));
    double ly = (y0 + y1) / 2 + size * 0.35;
    for (int tries = 0; tries < 6; tries++) {
      if (!overlaps(lx, ly - size, lx + w, ly + size * 0.35)) {
        remember(label, lx, ly - size, lx + w, ly + size * 0.35);
        return;
      }
      ly += size * 1.5; // the next line down
    }
    stats.unlabelledBundles++;
  }

  private boolean overlaps(double x0, double y0, double x1, double y1) {
    for (int i = 0; i < boxCount; i++) {
      double[] b = boxes;
      int o = 4 * i;
      if (x0 < b[o + 2] && x1 > b[o] && y0 < b[o + 3] && y1 > b[o + 1]) {
        return true;
      }
    }
    return false;
  }

  private void remember(String label, double x0, double y0, double x1, double y1) {
    if (4 * boxCount + 4 > boxes.length) {
      boxes = java.util.Arrays.copyOf(boxes, boxes.length * 2);
      labels = java.util.Arrays.copyOf(labels, labels.length * 2);
    }
    labels[boxCount] = label;
    int o = 4 * boxCount++;
    boxes[o] = x0;
    boxes[o + 1] = y0;
    boxes[o + 2] = x1;
    boxes[o + 3] = y1;
  }
}
