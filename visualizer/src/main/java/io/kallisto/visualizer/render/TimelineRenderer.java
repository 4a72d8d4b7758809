package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.CounterTrack;
import io.kallisto.visualizer.model.Instants;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.PostRef;
import io.kallisto.visualizer.model.Search;
import io.kallisto.visualizer.model.SliceCategory;
import io.kallisto.visualizer.model.SliceDetails;
import io.kallisto.visualizer.model.SliceRef;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Viewport;

/**
 * Draws the timeline of a {@link ViewState} onto any {@link DrawSurface}: ruler, lanes with
 * their slices and instants, flows, counter tracks, cursor, selections, the label column, the
 * pointer's readout and the legend. The ruler, the counter tracks, the arrows and the label
 * column each have a renderer of their own; this class draws the lanes and puts it together.
 *
 * <p>Only the visible time range is drawn, and at any zoom the work is bounded by the number of
 * pixel columns, not the number of events: a slice at least {@value #MIN_SLICE_PX} pixel wide is
 * drawn as itself; the slices that start within one pixel column and are narrower than that are
 * merged into a density bar, coloured by the category that covers most of the column and shaded
 * by how much of the column they cover. Finding the end of a column is a binary search, and the
 * time each category covers comes from the lane's sampled prefix sums, so a column costs the
 * same whether it holds ten slices or a million.
 *
 * <p>A density bar's colour is {@code 0} only when nothing covers the column, so 0 marks "none".
 *
 * <p>One renderer may be reused for many frames (it keeps scratch arrays); not thread safe.
 */
public final class TimelineRenderer {
  /** Slices at least this wide are drawn one by one. */
  public static final double MIN_SLICE_PX = 1.0;
  /** Slices at least this wide get a label. */
  static final double MIN_LABEL_PX = 28;

  /** What one frame drew, for tests and benchmarks. */
  public static final class Stats {
    /** Slices drawn as rectangles. */
    public long slices;
    /** Density bars drawn (after merging equal neighbours). */
    public long densityBars;
    /** Slices merged into density bars. */
    public long mergedSlices;
    /** Flow arrows drawn one by one. */
    public long arrows;
    /** Bundles of arrows drawn as one, with their count. */
    public long bundles;
    /** The flows those bundles stand for. */
    public long bundledFlows;
    /** Bundles whose count label had no room. */
    public long unlabelledBundles;
    /**
     * What the pointer's readout said (a counter's value under it, or a label's full name),
     * or {@code null} when none was drawn.
     */
    public String readout;
    /** Marks drawn where an interrupted run was cut (0 or 1). */
    public long cutMarks;

    void reset() {
      slices = 0;
      densityBars = 0;
      mergedSlices = 0;
      arrows = 0;
      bundles = 0;
      bundledFlows = 0;
      unlabelledBundles = 0;
      readout = null;
      cutMarks = 0;
    }
  }

  private final Stats stats = new Stats();
  private final long[] busy = new long[SliceCategory.count()];
  private final Drawing drawing = new Drawing();
  private final RulerRenderer ruler = new RulerRenderer(drawing);
  private final CounterRenderer counters = new CounterRenderer();
  private final FlowRenderer flows = new FlowRenderer(drawing, stats);
  private final LabelColumn labels = new LabelColumn();
  private final LatencyRenderer latency = new LatencyRenderer();
  private boolean banner;

  /**
   * Shows a banner over damaged or interrupted traces (offscreen images; the window has its
   * own).
   */
  public TimelineRenderer drawBanner(boolean on) {
    banner = on;
    return this;
  }

  /** What the last frame drew. */
  public Stats stats() {
    return stats;
  }

  /** Draws {@code state} laid out by {@code layout} onto {@code g}. */
  public void draw(ViewState state, TimelineLayout layout, DrawSurface g) {
    stats.reset();
    TraceModel model = state.model();
    g.fillRect(0, 0, layout.width(), layout.height(), Palette.BACKGROUND);
    TimelineLayout.Hit pointer = Double.isNaN(state.pointerX()) ? null
        : layout.hit(state.pointerX(), state.pointerY());
    double top = layout.scrollTop();
    double bottom = top + layout.scrollHeight();
    g.clip(0, top, layout.width(), layout.scrollHeight());
    ruler.drawGridLines(state, layout, g, top, bottom);
    for (Lane lane : model.lanes()) {
      double y = layout.laneTop(lane.index());
      if (y > bottom || y + layout.groupHeight(lane.index()) < top) {
        continue;
      }
      drawLane(state, layout, lane, g);
    }
    double rule = layout.wholeRunTop() - layout.smallFontSize() - 10 * layout.scale();
    g.line(0, rule, layout.width(), rule, Palette.GRID, 1, false);
    drawTracks(state, layout, g, pointer, false, top, bottom);
    drawRangeAndCursor(state, layout, g, top, bottom);
    drawCut(model, state.viewport(), g, layout, top, bottom);
    flows.draw(state, layout, g);
    latency.drawSlow(state, layout, g);
    drawSelection(state, layout, g);
    labels.drawScrolling(state, layout, g);
    g.unclip();
    if (layout.pinnedHeight() > 0) {
      drawPinned(state, layout, g, pointer);
    }
    ruler.draw(state, layout, g);
    drawLegend(layout, g);
    drawReadout(state, layout, g, pointer);
    if (banner && bannerText(model) != null) {
      drawBannerText(model, layout, g);
    }
  }

  /** The counter tracks shown in one area: the scrolling one, or the pinned one. */
  private void drawTracks(ViewState state, TimelineLayout layout, DrawSurface g,
      TimelineLayout.Hit pointer, boolean pinnedArea, double top, double bottom) {
    for (CounterTrack t : layout.tracks()) {
      if (!layout.trackShown(t.index()) || layout.trackPinned(t.index()) != pinnedArea) {
        continue;
      }
      double y = layout.trackTop(t.index());
      if (y > bottom || y + layout.trackHeight() < top) {
        continue;
      }
      counters.drawTrack(state, layout, t, g);
      if (pointer != null && pointer.area() == TimelineLayout.Area.COUNTER
          && pointer.track() == t.index()) {
        counters.drawPointer(state, layout, t, state.pointerX(), g);
      }
    }
  }

  private void drawPinned(ViewState state, TimelineLayout layout, DrawSurface g,
      TimelineLayout.Hit pointer) {
    double top = layout.pinnedTop();
    double bottom = top + layout.pinnedHeight();
    g.clip(0, top, layout.width(), layout.pinnedHeight());
    g.fillRect(0, top, layout.width(), layout.pinnedHeight(), Palette.BACKGROUND);
    ruler.drawGridLines(state, layout, g, top, bottom);
    drawTracks(state, layout, g, pointer, true, top, bottom);
    drawRangeAndCursor(state, layout, g, top, bottom);
    labels.drawPinned(state, layout, g);
    g.unclip();
    g.line(0, bottom - 1, layout.width(), bottom - 1, Palette.TEXT_MUTED, 1, false);
  }

  private void drawRangeAndCursor(ViewState state, TimelineLayout layout, DrawSurface g,
      double top, double bottom) {
    Viewport vp = state.viewport();
    if (state.hasRange()) {
      double x0 = Math.max(vp.left(), vp.x(state.rangeFrom()));
      double x1 = Math.min(vp.left() + vp.width(), vp.x(state.rangeTo()));
      if (x1 > x0) {
        g.fillRect(x0, top, x1 - x0, bottom - top, Palette.RANGE);
        g.line(x0, top, x0, bottom, Palette.BLUE, 1, true);
        g.line(x1, top, x1, bottom, Palette.BLUE, 1, true);
      }
    }
    if (state.cursorVisible()) {
      double x = vp.x(state.cursor());
      if (x >= vp.left() && x <= vp.left() + vp.width()) {
        g.line(x, top, x, bottom, Palette.VERMILION, 1.5 * layout.scale(), false);
      }
    }
  }

  /**
   * The box under the pointer: over a counter track, the value holding there; over a label,
   * the full name. Drawn last, over everything, and kept inside the surface.
   */
  private void drawReadout(ViewState state, TimelineLayout layout, DrawSurface g,
      TimelineLayout.Hit pointer) {
    if (pointer == null) {
      return;
    }
    String text;
    if (pointer.area() == TimelineLayout.Area.COUNTER) {
      text = CounterRenderer.readout(state, layout.tracks().get(pointer.track()),
          Math.round(state.viewport().time(state.pointerX())));
    } else if (pointer.area() == TimelineLayout.Area.LABELS
        || pointer.area() == TimelineLayout.Area.PIN) {
      text = LabelColumn.fullName(state, layout, pointer);
    } else {
      return;
    }
    if (text == null) {
      return;
    }
    double size = layout.smallFontSize() * 1.1;
    double w = g.textWidth(text, size, false) + size;
    double x = Math.max(4, Math.min(layout.width() - w - 4, state.pointerX() + 12));
    double y = state.pointerY() - 8 * layout.scale();
    y = Math.max(size * 1.2, Math.min(layout.height() - 4, y));
    Drawing.pill(g, text, x + size * 0.5, y, size, false, 0xFFFFFFFF, 0xF0343A42);
    stats.readout = text;
  }

  /** Where an interrupted run was cut: a dashed line down every lane, at the END block's time. */
  private void drawCut(TraceModel model, Viewport vp, DrawSurface g, TimelineLayout layout,
      double top, double bottom) {
    if (!model.interrupted()) {
      return;
    }
    double x = vp.x(model.end().time());
    if (x >= vp.left() && x <= vp.left() + vp.width()) {
      stats.cutMarks++;
      g.line(Math.round(x) + 0.5, top, Math.round(x) + 0.5, bottom, Palette.CUT,
          2 * layout.scale(), true);
    }
  }

  // ---- lanes -------------------------------------------------------------------------------------

  private void drawLane(ViewState state, TimelineLayout layout, Lane lane, DrawSurface g) {
    double y = layout.laneTop(lane.index());
    double h = layout.groupHeight(lane.index());
    if (lane.index() % 2 == 1) {
      g.fillRect(layout.timelineLeft(), y, layout.timelineWidth(), h, Palette.LANE_ALT);
    }
    g.line(0, y + h + layout.laneGap() / 2, layout.width(), y + h + layout.laneGap() / 2,
        Palette.GRID, 1, false);
    int bg = lane.index() % 2 == 1 ? Palette.LANE_ALT : Palette.BACKGROUND;
    int rows = Math.min(lane.rowCount(), layout.visibleRows(lane.index()));
    for (int r = 0; r < rows; r++) {
      drawRow(state, layout, lane, r, bg, g);
    }
    latency.drawStrip(state, layout, lane, g);
    drawInstants(state, layout, lane, g);
  }

  /** One row of slices, level of detail as the class comment says. */
  private void drawRow(ViewState state, TimelineLayout layout, Lane lane, int r, int bg,
      DrawSurface g) {
    TraceModel model = state.model();
    Viewport vp = state.viewport();
    Search search = state.search();
    double y = layout.rowTop(lane.index(), r);
    double rh = layout.rowHeight() - 1;
    double ns = vp.nsPerPixel();
    double left = vp.left();
    double right = vp.left() + vp.width();
    long from = (long) Math.floor(vp.from());
    long to = (long) Math.ceil(vp.to());
    int n = lane.rowSize(r);
    int k = lane.firstEndingAfter(r, from);
    // the density bar being built: its column, and the run of equal bars waiting to be drawn
    int runColor = 0;
    double runX0 = 0;
    double runX1 = 0;
    while (k < n) {
      int i = lane.sliceAt(r, k);
      long s = lane.startAt(r, k);
      if (s > to) {
        break;
      }
      double xs0 = vp.x(s);
      // Sixteen slices starting within one pixel are all thin: no need to read this one's end.
      boolean thin = k % Lane.SAMPLE == 0 && k + Lane.SAMPLE < n
          && lane.startAt(r, k + Lane.SAMPLE) - s < ns;
      double xs1 = thin ? xs0 : vp.x(lane.end(i));
      if (xs1 - xs0 >= MIN_SLICE_PX) {
        if (runX1 > runX0) {
          g.fillRect(runX0, y, runX1 - runX0, rh, runColor);
          stats.densityBars++;
          runX1 = runX0;
        }
        drawSlice(model, layout, lane, i, Math.max(left - 2, xs0), Math.min(right + 2, xs1), y,
            rh, search, g);
        k++;
        continue;
      }
      // Everything starting in this pixel column, except a wide last slice, merges.
      double col = Math.floor(xs0);
      long colEnd = (long) Math.ceil(vp.time(col + 1));
      int j = lane.sampleBoundary(r, colEnd, k);
      // The slices before j end by the time slice j starts: when that is within a pixel of the
      // column, no need to read the last one's end.
      if (j - k < 2 * Lane.SAMPLE || ((j == n || lane.startAt(r, j) > colEnd + ns)
          && lane.end(lane.sliceAt(r, j - 1)) > colEnd + ns)) {
        // Few slices here, or one reaches past the next column: find the column's end exactly.
        j = lane.firstStartingAtOrAfter(r, colEnd, k + 1);
        if (j - 1 > k && vp.x(lane.end(lane.sliceAt(r, j - 1)))
            - vp.x(lane.start(lane.sliceAt(r, j - 1))) >= MIN_SLICE_PX) {
          j--;
        }
      }
      // Otherwise the column holds many whole samples of slices, each ending within a pixel of
      // it: merging up to the sample boundary moves at most SAMPLE - 1 thin slices by a pixel
      // and lets addBusy work from prefix sums alone.
      java.util.Arrays.fill(busy, 0);
      lane.addBusy(r, k, j, busy);
      stats.mergedSlices += j - k;
      int color = densityColour(busy, ns, bg);
      if (color == 0) { // nothing but zero-length slices: still show that something is there
        color = Palette.blend(bg, Palette.of(lane.category(i)), 0.35);
      }
      if (search != null) {
        color = Palette.blend(bg, color, 0.35);
      }
      if (runX1 > runX0 && (color != runColor || col > runX1)) {
        g.fillRect(runX0, y, runX1 - runX0, rh, runColor);
        stats.densityBars++;
        runX1 = runX0;
      }
      if (runX1 <= runX0) {
        runX0 = Math.max(left, col);
        runColor = color;
      }
      runX1 = Math.min(right, col + 1);
      k = j;
    }
    if (runX1 > runX0) {
      g.fillRect(runX0, y, runX1 - runX0, rh, runColor);
      stats.densityBars++;
    }
  }

  /**
   * The colour of a density bar: the categories' colours mixed by the time each covers (so a
   * loop that works a fifth of the time shows a fifth of work's blue in its idle grey), laid
   * over the lane's background the more strongly the more of the column they cover.
   */
  static int densityColour(long[] busy, double columnNs, int bg) {
    long total = 0;
    for (long b : busy) {
      total += b;
    }
    if (total == 0) {
      return 0;
    }
    double r = 0;
    double g = 0;
    double b = 0;
    for (int c = 0; c < busy.length; c++) {
      if (busy[c] > 0) {
        double w = (double) busy[c] / total;
        int rgb = Palette.ofOrdinal(c);
        r += w * ((rgb >> 16) & 0xff);
        g += w * ((rgb >> 8) & 0xff);
        b += w * (rgb & 0xff);
      }
    }
    int mixed = 0xFF000000 | (int) Math.round(r) << 16 | (int) Math.round(g) << 8
        | (int) Math.round(b);
    // Sixteen shades are as many as the eye tells apart here, and equal neighbours merge into
    // one rectangle.
    double cover = Math.round(16 * Math.min(1, total / columnNs)) / 16.0;
    return Palette.blend(bg, mixed, 0.35 + 0.65 * cover);
  }

  private void drawSlice(TraceModel model, TimelineLayout layout, Lane lane, int i, double x0,
      double x1, double y, double h, Search search, DrawSurface g) {
    stats.slices++;
    int fill = Palette.of(lane.category(i));
    boolean match = search != null && search.matches(lane, i);
    if (search != null && !match) {
      fill = Palette.blend(Palette.BACKGROUND, fill, 0.3);
    }
    double w = x1 - x0;
    // A hairline gap between neighbours once there is room, so equal slices stay apart.
    g.fillRect(x0, y, w > 4 ? w - 1 : w, h, fill);
    if (match) {
      g.strokeRect(x0 + 0.5, y + 0.5, Math.max(1, w - 1), h - 1, Palette.TEXT, 1.5);
    }
    if (w >= MIN_LABEL_PX) {
      String label = SliceDetails.labelOf(model, lane, i);
      double size = layout.fontSize();
      String fitted = Drawing.fit(g, label, w - 6, size, false);
      if (!fitted.isEmpty()) {
        g.text(fitted, x0 + 3, y + h / 2 + size * 0.36, Palette.textOn(fill), size, false);
      }
    }
  }

  private void drawInstants(ViewState state, TimelineLayout layout, Lane lane, DrawSurface g) {
    Viewport vp = state.viewport();
    double y = layout.laneTop(lane.index());
    double sh = layout.stripHeight();
    double right = vp.left() + vp.width();
    Instants posts = lane.posts();
    // One tick per pixel column at most: skip to the next column by binary search.
    int k = posts.firstAtOrAfter((long) Math.floor(vp.from()));
    while (k < posts.size() && posts.time(k) <= vp.to()) {
      double x = Math.floor(vp.x(posts.time(k)));
      int color = posts.kind(k) == 1 ? Palette.VERMILION : Palette.AVOIDED_TICK;
      g.fillRect(x, y + sh * 0.35, 1, sh * 0.65, color);
      k = posts.coarseAtOrAfter((long) Math.ceil(vp.time(x + 1)), k + 1);
    }
    Search search = state.search();
    if (search != null) {
      int[] m = search.matches(lane.index());
      // a tick above the lane per pixel column that holds a match
      int q = search.firstAtOrAfter(lane, (long) Math.floor(vp.from()));
      while (q < m.length && lane.start(m[q]) <= vp.to()) {
        double x = Math.floor(vp.x(lane.start(m[q])));
        g.fillRect(x - 1, y, 3, sh * 0.5, Palette.TEXT);
        q = Math.max(q + 1, search.firstAtOrAfter(lane, (long) Math.ceil(vp.time(x + 1))));
      }
    }
    Instants marks = lane.marks();
    double size = layout.smallFontSize();
    double labelsEnd = Double.NEGATIVE_INFINITY; // labels never overlap: a crowded one is left out
    for (int m = marks.firstAtOrAfter((long) Math.floor(vp.from())); m < marks.size()
        && marks.time(m) <= vp.to(); m++) {
      double x = vp.x(marks.time(m));
      drawing.triangle(g, x, y, sh, Palette.VERMILION);
      String label = markLabel(state.model(), marks, m);
      if (!label.isEmpty() && x + 6 < right && x + 6 > labelsEnd) {
        String fitted = Drawing.fit(g, label, Math.min(200 * layout.scale(), right - x - 8), size,
            false);
        g.text(fitted, x + 6, y + sh - 1, Palette.VERMILION, size, false);
        labelsEnd = x + 6 + g.textWidth(fitted, size, false) + 4;
      }
    }
  }

  /** A user mark's own label, or what a watchdog mark means and how long the loop was silent. */
  private static String markLabel(TraceModel model, Instants marks, int m) {
    int kind = marks.kind(m);
    if (kind == 0) {
      return model.string(marks.id(m));
    }
    return (kind == 1 ? "watchdog miss " : "watchdog mega-miss ")
        + TimeFormat.duration(marks.a(m));
  }

  // ---- selection ------------------------------------------------------------------------------

  private void drawSelection(ViewState state, TimelineLayout layout, DrawSurface g) {
    Viewport vp = state.viewport();
    PostRef post = state.selectedPost();
    if (post != null) {
      // a ring around the selected post's tick in its lane's strip
      double x = vp.x(state.model().lanes().get(post.lane()).posts().time(post.post()));
      double y = layout.laneTop(post.lane());
      double r = layout.stripHeight() * 0.8;
      g.strokeRect(x - r, y - 1, 2 * r, layout.stripHeight() + 2, Palette.TEXT, 2);
      return;
    }
    SliceRef sel = state.selection();
    if (sel == null) {
      return;
    }
    Lane lane = state.model().lanes().get(sel.lane());
    int row = lane.rowOf(sel.slice());
    if (row < 0 || row >= layout.visibleRows(sel.lane())) {
      return;
    }
    double x0 = Math.max(vp.left() - 2, vp.x(lane.start(sel.slice())));
    double x1 = Math.min(vp.left() + vp.width() + 2, vp.x(lane.end(sel.slice())));
    if (x1 < vp.left() || x0 > vp.left() + vp.width()) {
      return;
    }
    double w = Math.max(3, x1 - x0);
    double y = layout.rowTop(sel.lane(), row);
    g.strokeRect(x0 - 1, y - 1, w + 2, layout.rowHeight() + 1, Palette.TEXT, 2);
  }

  /** The categories in the legend, in order, then the two kinds of flow arrow. */
  private void drawLegend(TimelineLayout layout, DrawSurface g) {
    double top = layout.legendTop();
    g.fillRect(0, top, layout.width(), layout.legendHeight(), Palette.PANEL);
    g.line(0, top + 0.5, layout.width(), top + 0.5, Palette.GRID, 1, false);
    Legend legend = new Legend(layout, g);
    for (SliceCategory c : SliceCategory.values()) {
      if (c != SliceCategory.OTHER_CALLBACK) {
        legend.swatch(Palette.of(c), c.label());
      }
    }
    legend.arrow(Palette.VERMILION, false, "wakeup written");
    legend.arrow(Palette.AVOIDED, true, "wakeup avoided");
    legend.arrow(Palette.REDDISH_PURPLE, false, "slot update flow");
  }

  /** Lays legend entries left to right, wrapping onto the next line while there is one. */
  private static final class Legend {
    private final TimelineLayout layout;
    private final DrawSurface g;
    private final double size;
    private final double sw;
    private double x = 8;
    private int line;

    Legend(TimelineLayout layout, DrawSurface g) {
      this.layout = layout;
      this.g = g;
      this.size = layout.smallFontSize();
      this.sw = size * 1.3;
    }

    /** The top of the current line, or NaN once the entries no longer fit. */
    private double place(double w) {
      if (x + w > layout.width() - 4) {
        if (line + 1 >= layout.legendLines()) {
          return Double.NaN;
        }
        line++;
        x = 8;
      }
      return layout.legendTop() + 1 + line * layout.legendLineHeight();
    }

    void swatch(int color, String label) {
      double w = sw + 4 + g.textWidth(label, size, false) + 12;
      double top = place(w);
      if (Double.isNaN(top)) {
        return;
      }
      double h = layout.legendLineHeight();
      g.fillRect(x, top + (h - sw) / 2, sw, sw, color);
      if (color == Palette.POLL_WAIT) {
        g.strokeRect(x + 0.5, top + (h - sw) / 2 + 0.5, sw - 1, sw - 1, Palette.POLL, 1);
      }
      g.text(label, x + sw + 4, top + h / 2 + size * 0.36, Palette.TEXT, size, false);
      x += w;
    }

    void arrow(int color, boolean dashed, String label) {
      double len = sw * 1.8;
      double w = len + 4 + g.textWidth(label, size, false) + 12;
      double top = place(w);
      if (Double.isNaN(top)) {
        return;
      }
      double h = layout.legendLineHeight();
      g.line(x, top + h / 2, x + len, top + h / 2, color, dashed ? 1.2 : 1.6, dashed);
      g.text(label, x + len + 4, top + h / 2 + size * 0.36, Palette.TEXT, size, false);
      x += w;
    }
  }

  private void drawBannerText(TraceModel model, TimelineLayout layout, DrawSurface g) {
    double size = layout.smallFontSize();
    double h = size * 2;
    double y = layout.scrollTop();
    g.fillRect(0, y, layout.width(), h, Palette.BANNER);
    g.text(Drawing.fit(g, bannerText(model), layout.width() - 16, size, false), 8, y + h * 0.68,
        Palette.TEXT, size, false);
  }

  /**
   * The one-line note over a trace that is not whole, or {@code null} for one that is: how a
   * damaged file lost what it lost (every range skipped), and how an interrupted run was cut
   * (both, if both).
   */
  public static String bannerText(TraceModel model) {
    String lost = io.kallisto.trace.TraceFile.Damage.describe(model.damages(),
        model.eventCount());
    String damage = lost == null ? null : "Damaged trace: " + lost;
    String recording = model.recordingNote();
    if (damage == null) {
      return recording;
    }
    return recording == null ? damage : recording + " " + damage;
  }
}
