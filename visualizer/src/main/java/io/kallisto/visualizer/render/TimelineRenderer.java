package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.Flow;
import io.kallisto.visualizer.model.Flows;
import io.kallisto.visualizer.model.Instants;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.Search;
import io.kallisto.visualizer.model.Series;
import io.kallisto.visualizer.model.SliceCategory;
import io.kallisto.visualizer.model.SliceDetails;
import io.kallisto.visualizer.model.SliceRef;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Viewport;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the timeline of a {@link ViewState} onto any {@link DrawSurface}: ruler, lanes with
 * their slices and instants, flows, counter tracks, cursor, selections and the legend.
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
  /** Requests per second are counted over at least this window, so the rate is not spiky. */
  static final long RATE_WINDOW_NS = 1_000_000;

  /** What one frame drew, for tests and benchmarks. */
  public static final class Stats {
    /** Slices drawn as rectangles. */
    public long slices;
    /** Density bars drawn (after merging equal neighbours). */
    public long densityBars;
    /** Slices merged into density bars. */
    public long mergedSlices;
    /** Flow arrows drawn. */
    public long arrows;

    void reset() {
      slices = 0;
      densityBars = 0;
      mergedSlices = 0;
      arrows = 0;
    }
  }

  private final Stats stats = new Stats();
  private final long[] busy = new long[SliceCategory.count()];
  private final double[] xs = new double[4];
  private final double[] ys = new double[4];
  private boolean banner;

  /** Shows a banner over damaged traces (offscreen images; the window has its own). */
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
    Viewport vp = state.viewport();
    g.fillRect(0, 0, layout.width(), layout.height(), Palette.BACKGROUND);
    double top = layout.scrollTop();
    double bottom = top + layout.scrollHeight();
    g.clip(0, top, layout.width(), layout.scrollHeight());
    drawGridLines(layout, vp, model.firstTime(), g, top, bottom);
    for (Lane lane : model.lanes()) {
      double y = layout.laneTop(lane.index());
      if (y > bottom || y + layout.laneHeight(lane.index()) < top) {
        continue;
      }
      drawLane(state, layout, lane, g);
    }
    drawCounters(state, layout, g);
    if (state.hasRange()) {
      double x0 = Math.max(vp.left(), vp.x(state.rangeFrom()));
      double x1 = Math.min(vp.left() + vp.width(), vp.x(state.rangeTo()));
      if (x1 > x0) {
        g.fillRect(x0, top, x1 - x0, layout.scrollHeight(), Palette.RANGE);
        g.line(x0, top, x0, bottom, Palette.BLUE, 1, true);
        g.line(x1, top, x1, bottom, Palette.BLUE, 1, true);
      }
    }
    drawFlows(state, layout, g);
    drawSelection(state, layout, g);
    if (state.cursorVisible()) {
      double x = vp.x(state.cursor());
      if (x >= vp.left() && x <= vp.left() + vp.width()) {
        g.line(x, top, x, bottom, Palette.VERMILION, 1.5 * layout.scale(), false);
      }
    }
    drawLabels(state, layout, g);
    g.unclip();
    drawRuler(state, layout, g);
    drawLegend(layout, g);
    if (banner && model.damage() != null) {
      drawBannerText(model, layout, g);
    }
  }

  // ---- lanes -------------------------------------------------------------------------------------

  private void drawGridLines(TimelineLayout layout, Viewport vp, long origin, DrawSurface g,
      double top, double bottom) {
    double step = tickStep(vp.nsPerPixel(), 90 * layout.scale());
    double first = Math.ceil((vp.from() - origin) / step) * step;
    for (double t = first; t + origin <= vp.to(); t += step) {
      double x = Math.round(vp.x(t + origin)) + 0.5;
      g.line(x, top, x, bottom, 0xFFEDEFF2, 1, false);
    }
  }

  private void drawLane(ViewState state, TimelineLayout layout, Lane lane, DrawSurface g) {
    double y = layout.laneTop(lane.index());
    double h = layout.laneHeight(lane.index());
    if (lane.index() % 2 == 1) {
      g.fillRect(layout.timelineLeft(), y, layout.timelineWidth(), h, Palette.LANE_ALT);
    }
    g.line(0, y + h + layout.laneGap() / 2, layout.width(), y + h + layout.laneGap() / 2,
        Palette.GRID, 1, false);
    int bg = lane.index() % 2 == 1 ? Palette.LANE_ALT : Palette.BACKGROUND;
    for (int r = 0; r < lane.rowCount(); r++) {
      drawRow(state, layout, lane, r, bg, g);
    }
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
    boolean match = search != null && search.matchesLabel(lane.labelId(i));
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
      String fitted = fit(g, label, w - 6, size, false);
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
      triangle(g, x, y, sh, Palette.VERMILION);
      String label = markLabel(state.model(), marks, m);
      if (!label.isEmpty() && x + 6 < right && x + 6 > labelsEnd) {
        String fitted = fit(g, label, Math.min(200 * layout.scale(), right - x - 8), size, false);
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

  private void triangle(DrawSurface g, double x, double y, double h, int color) {
    xs[0] = x - h * 0.6;
    ys[0] = y;
    xs[1] = x + h * 0.6;
    ys[1] = y;
    xs[2] = x;
    ys[2] = y + h;
    g.fillPolygon(xs, ys, 3, color);
  }

  // ---- flows, selection ------------------------------------------------------------------------

  private void drawFlows(ViewState state, TimelineLayout layout, DrawSurface g) {
    TraceModel model = state.model();
    Viewport vp = state.viewport();
    List<Flow> flows = new ArrayList<>();
    if (state.selection() != null) {
      flows.addAll(Flows.of(model, state.selection(), Flows.MAX_ARROWS));
    }
    if (state.allFlows()) {
      flows.addAll(Flows.sentBetween(model, (long) vp.from(), (long) vp.to(),
          Flows.MAX_ARROWS));
    }
    for (Flow f : flows) {
      Lane to = model.lanes().get(f.toLane());
      double x0 = vp.x(f.fromTime());
      double y0 = layout.laneTop(f.fromLane()) + layout.stripHeight() * 0.7;
      double x1 = vp.x(f.toTime());
      int row = Math.max(0, to.rowOf(f.toSlice()));
      double y1 = layout.rowTop(f.toLane(), row) + (f.toLane() == f.fromLane() ? 0
          : layout.rowHeight() / 2);
      if (Math.max(x0, x1) < vp.left() || Math.min(x0, x1) > vp.left() + vp.width()) {
        continue;
      }
      int color = f.slot() ? Palette.REDDISH_PURPLE : f.wakeup() ? Palette.VERMILION
          : Palette.AVOIDED;
      double lw = (f.wakeup() || f.slot() ? 1.6 : 1.2) * layout.scale();
      g.line(x0, y0, x1, y1, color, lw, !f.wakeup() && !f.slot());
      arrowHead(g, x0, y0, x1, y1, 6 * layout.scale(), color);
      g.fillRect(x0 - 1.5, y0 - 1.5, 3, 3, color);
      stats.arrows++;
    }
  }

  private void arrowHead(DrawSurface g, double x0, double y0, double x1, double y1, double size,
      int color) {
    double dx = x1 - x0;
    double dy = y1 - y0;
    double len = Math.hypot(dx, dy);
    if (len < 1e-6) {
      return;
    }
    double ux = dx / len;
    double uy = dy / len;
    xs[0] = x1;
    ys[0] = y1;
    xs[1] = x1 - ux * size - uy * size * 0.5;
    ys[1] = y1 - uy * size + ux * size * 0.5;
    xs[2] = x1 - ux * size + uy * size * 0.5;
    ys[2] = y1 - uy * size - ux * size * 0.5;
    g.fillPolygon(xs, ys, 3, color);
  }

  private void drawSelection(ViewState state, TimelineLayout layout, DrawSurface g) {
    SliceRef sel = state.selection();
    if (sel == null) {
      return;
    }
    Lane lane = state.model().lanes().get(sel.lane());
    int row = lane.rowOf(sel.slice());
    if (row < 0) {
      return;
    }
    Viewport vp = state.viewport();
    double x0 = Math.max(vp.left() - 2, vp.x(lane.start(sel.slice())));
    double x1 = Math.min(vp.left() + vp.width() + 2, vp.x(lane.end(sel.slice())));
    if (x1 < vp.left() || x0 > vp.left() + vp.width()) {
      return;
    }
    double w = Math.max(3, x1 - x0);
    double y = layout.rowTop(sel.lane(), row);
    g.strokeRect(x0 - 1, y - 1, w + 2, layout.rowHeight() + 1, Palette.TEXT, 2);
  }

  // ---- counters ------------------------------------------------------------------------------

  private void drawCounters(ViewState state, TimelineLayout layout, DrawSurface g) {
    TraceModel model = state.model();
    Viewport vp = state.viewport();
    double top = layout.tracksTop();
    double rule = top - layout.smallFontSize() - 10 * layout.scale();
    g.line(0, rule, layout.width(), rule, Palette.GRID, 1, false);
    List<TimelineLayout.CounterTrack> tracks = layout.tracks();
    for (int t = 0; t < tracks.size(); t++) {
      double y = layout.trackTop(t);
      double h = layout.trackHeight();
      if (y > layout.scrollTop() + layout.scrollHeight() || y + h < layout.scrollTop()) {
        continue;
      }
      TimelineLayout.CounterTrack track = tracks.get(t);
      double pad = 3 * layout.scale();
      double chartTop = y + pad + layout.smallFontSize();
      double chartH = h - 2 * pad - layout.smallFontSize();
      g.line(vp.left(), y + h - pad, vp.left() + vp.width(), y + h - pad, Palette.GRID, 1, false);
      String note;
      if (track.kind() == TimelineLayout.TrackKind.REQUEST_RATE) {
        note = drawRate(model, vp, chartTop, chartH, g);
      } else {
        note = drawSeries(track.series(), vp, chartTop, chartH, g);
      }
      g.text(note, vp.left() + 4, y + pad + layout.smallFontSize() * 0.9, Palette.TEXT_MUTED,
          layout.smallFontSize(), false);
    }
  }

  private String drawSeries(Series s, Viewport vp, double top, double h, DrawSurface g) {
    if (s == null || s.size() == 0) {
      return "none recorded";
    }
    double max = Math.max(1, s.max());
    int columns = (int) Math.ceil(vp.width());
    double runX = -1;
    double runH = -1;
    int i0 = s.firstAtOrAfter((long) Math.floor(vp.time(vp.left())));
    for (int c = 0; c < columns; c++) {
      double x = vp.left() + c;
      long t1 = (long) Math.ceil(vp.time(x + 1));
      int i1 = s.coarseAtOrAfter(t1, i0);
      // the value holding as the column begins, and every value sampled within it
      long v = Math.max(0, s.envelope(Math.max(0, i0 - 1), Math.max(i1, i0)));
      i0 = i1;
      double bh = Math.round(h * v / max);
      if (bh != runH) {
        if (runH > 0) {
          g.fillRect(runX, top + h - runH, x - runX, runH, Palette.COUNTER);
        }
        runX = x;
        runH = bh;
      }
    }
    if (runH > 0) {
      g.fillRect(runX, top + h - runH, vp.left() + columns - runX, runH, Palette.COUNTER);
    }
    return "max " + s.max();
  }

  private String drawRate(TraceModel model, Viewport vp, double top, double h, DrawSurface g) {
    if (!model.hasRequests()) {
      return "none recorded";
    }
    int columns = (int) Math.ceil(vp.width());
    double window = Math.max(vp.nsPerPixel(), RATE_WINDOW_NS);
    double[] rate = new double[columns];
    double max = 1;
    for (int c = 0; c < columns; c++) {
      double t1 = vp.time(vp.left() + c + 1);
      rate[c] = model.requestsBetween((long) (t1 - window), (long) t1) * 1e9 / window;
      max = Math.max(max, rate[c]);
    }
    for (int c = 0; c < columns; c++) {
      double bh = Math.round(h * rate[c] / max);
      if (bh > 0) {
        g.fillRect(vp.left() + c, top + h - bh, 1, bh, Palette.COUNTER);
      }
    }
    return String.format(java.util.Locale.ROOT, "max %,.0f/s (over %s)", max,
        TimeFormat.duration(window));
  }

  // ---- labels, ruler, legend -----------------------------------------------------------------

  private void drawLabels(ViewState state, TimelineLayout layout, DrawSurface g) {
    TraceModel model = state.model();
    double w = layout.labelWidth();
    g.fillRect(0, layout.scrollTop(), w, layout.scrollHeight(), Palette.PANEL);
    g.line(w - 0.5, layout.scrollTop(), w - 0.5, layout.scrollTop() + layout.scrollHeight(),
        Palette.GRID, 1, false);
    double size = layout.fontSize();
    for (Lane lane : model.lanes()) {
      double y = layout.laneTop(lane.index());
      String name = fit(g, lane.name(), w - 12, size, true);
      g.text(name, 8, y + layout.stripHeight() + layout.rowHeight() * 0.5 + size * 0.36,
          Palette.TEXT, size, true);
      if (lane.hiddenSlices() > 0) {
        g.text(fit(g, "+" + lane.hiddenSlices() + " nested too deep", w - 12,
            layout.smallFontSize(), false), 8, y + layout.stripHeight() + layout.rowHeight() * 1.5
            + size * 0.36, Palette.TEXT_MUTED, layout.smallFontSize(), false);
      }
    }
    double small = layout.smallFontSize();
    g.text("counters", 8, layout.tracksTop() - 6 * layout.scale(), Palette.TEXT_MUTED, small,
        true);
    List<TimelineLayout.CounterTrack> tracks = layout.tracks();
    for (int t = 0; t < tracks.size(); t++) {
      double y = layout.trackTop(t);
      g.text(fit(g, tracks.get(t).title(), w - 12, size, false), 8,
          y + layout.trackHeight() / 2 + size * 0.36, Palette.TEXT, size, false);
    }
  }

  private void drawRuler(ViewState state, TimelineLayout layout, DrawSurface g) {
    Viewport vp = state.viewport();
    TraceModel model = state.model();
    double h = layout.rulerHeight();
    g.fillRect(0, 0, layout.width(), h, Palette.PANEL);
    g.line(0, h - 0.5, layout.width(), h - 0.5, Palette.GRID, 1, false);
    double size = layout.smallFontSize();
    double step = tickStep(vp.nsPerPixel(), 90 * layout.scale());
    double origin = model.firstTime();
    double first = Math.ceil((vp.from() - origin) / step) * step;
    g.clip(vp.left(), 0, vp.width(), h);
    for (double t = first; t + origin <= vp.to(); t += step) {
      double x = Math.round(vp.x(t + origin)) + 0.5;
      g.line(x, h * 0.55, x, h, Palette.TEXT_MUTED, 1, false);
      g.text(TimeFormat.offset(t, step), x + 3, h * 0.5, Palette.TEXT_MUTED, size, false);
    }
    if (state.hasRange()) {
      double x0 = vp.x(state.rangeFrom());
      double x1 = vp.x(state.rangeTo());
      g.fillRect(x0, h * 0.6, Math.max(1, x1 - x0), h * 0.4, 0x660072B2);
      String d = TimeFormat.duration(state.rangeTo() - state.rangeFrom());
      g.text(d, Math.max(vp.left() + 2, (x0 + x1) / 2 - g.textWidth(d, size, true) / 2),
          h - 3, Palette.TEXT, size, true);
    }
    if (state.cursorVisible()) {
      double x = vp.x(state.cursor());
      triangle(g, x, h * 0.55, h * 0.45, Palette.VERMILION);
    }
    g.unclip();
    String title = model.displayName();
    g.text(fit(g, title, layout.labelWidth() - 12, size, true), 8, h * 0.62, Palette.TEXT, size,
        true);
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
    g.text(fit(g, bannerText(model), layout.width() - 16, size, false), 8, y + h * 0.68,
        Palette.TEXT, size, false);
  }

  /** The one-line note on a damaged trace: how much was lost, from where, and why. */
  public static String bannerText(TraceModel model) {
    io.kallisto.trace.TraceFile.Damage d = model.damage();
    return String.format(java.util.Locale.ROOT, "Damaged trace: the last %,d bytes (from byte"
        + " offset %,d) could not be read: %s. Showing the %,d events before them.",
        d.lostBytes(), d.offset(), d.reason(), model.eventCount());
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A round step (1, 2 or 5 times a power of ten) at least {@code minPx} pixels wide. */
  static double tickStep(double nsPerPixel, double minPx) {
    double raw = Math.max(1, nsPerPixel * minPx);
    double pow = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * pow >= raw) {
        return m * pow;
      }
    }
    return 10 * pow;
  }

  /** {@code text}, cut with an ellipsis to fit {@code width}; empty if nothing fits. */
  static String fit(DrawSurface g, String text, double width, double size, boolean bold) {
    if (width <= 0) {
      return "";
    }
    if (g.textWidth(text, size, bold) <= width) {
      return text;
    }
    int lo = 0;
    int hi = text.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (g.textWidth(text.substring(0, mid) + "…", size, bold) <= width) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo == 0 ? "" : text.substring(0, lo) + "…";
  }
}
