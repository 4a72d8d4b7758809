package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Viewport;

/**
 * The time ruler at the top and its grid lines across the lanes. Every label stays inside the
 * view: a tick label that would run past the right edge goes to the left of its tick, or is left
 * out. The selected range's length is placed first, and a tick label that would touch it is
 * left out, so the two never overlap.
 */
final class RulerRenderer {
  private final Drawing drawing;

  RulerRenderer(Drawing drawing) {
    this.drawing = drawing;
  }

  /** Vertical grid lines at the ruler's ticks, from {@code top} to {@code bottom}. */
  void drawGridLines(ViewState state, TimelineLayout layout, DrawSurface g, double top,
      double bottom) {
    drawGridLines(state.viewport(), state.model().firstTime(), layout.scale(), g, top, bottom);
  }

  /** Grid lines for {@code vp}, times counted from {@code origin}. */
  static void drawGridLines(Viewport vp, long origin, double scale, DrawSurface g, double top,
      double bottom) {
    double step = Drawing.tickStep(vp.nsPerPixel(), 90 * scale);
    double first = Math.ceil((vp.from() - origin) / step) * step;
    for (double t = first; t + origin <= vp.to(); t += step) {
      double x = Math.round(vp.x(t + origin)) + 0.5;
      g.line(x, top, x, bottom, 0xFFEDEFF2, 1, false);
    }
  }

  void draw(ViewState state, TimelineLayout layout, DrawSurface g) {
    Viewport vp = state.viewport();
    double h = layout.rulerHeight();
    g.fillRect(0, 0, layout.width(), h, Palette.PANEL);
    g.line(0, h - 0.5, layout.width(), h - 0.5, Palette.GRID, 1, false);
    double size = layout.smallFontSize();
    double left = vp.left() + 2;
    double right = vp.left() + vp.width() - 2;
    // The range's length first: tick labels make way for it.
    double boxFrom = Double.NaN;
    double boxTo = Double.NaN;
    String length = null;
    double lengthX = 0;
    // Only a range that shows has its length written (kept inside the view when it sticks out).
    if (state.hasRange() && vp.x(state.rangeTo()) >= left && vp.x(state.rangeFrom()) <= right) {
      length = TimeFormat.duration(state.rangeTo() - state.rangeFrom());
      double w = g.textWidth(length, size, true);
      double middle = (vp.x(state.rangeFrom()) + vp.x(state.rangeTo())) / 2;
      lengthX = Math.max(left, Math.min(right - w, middle - w / 2));
      boxFrom = lengthX - 6;
      boxTo = lengthX + w + 6;
    }
    g.clip(vp.left(), 0, vp.width(), h);
    drawTicks(vp, state.model().firstTime(), layout.scale(), size, h, boxFrom, boxTo, g);
    if (length != null) {
      double x0 = Math.max(vp.left(), vp.x(state.rangeFrom()));
      double x1 = Math.min(vp.left() + vp.width(), vp.x(state.rangeTo()));
      g.fillRect(x0, h * 0.6, Math.max(1, x1 - x0), h * 0.4, 0x660072B2);
      g.fillRect(boxFrom + 3, h - 3 - size, boxTo - boxFrom - 6, size + 2, Palette.PANEL);
      g.text(length, lengthX, h - 3, Palette.TEXT, size, true);
    }
    if (state.cursorVisible()) {
      drawing.triangle(g, vp.x(state.cursor()), h * 0.55, h * 0.45, Palette.VERMILION);
    }
    drawCut(state, g, h, size, left, right, layout.scale());
    g.unclip();
    drawTitle(state.model().displayName(), layout.labelWidth(), size, h, g);
  }

  /**
   * A ruler with ticks only, no range, cursor or cut: for the overview drawn before the model
   * exists. {@code width} is the surface's, {@code title} goes over the label column.
   */
  static void drawPlain(Viewport vp, long origin, String title, double width, double h,
      double labelWidth, double scale, DrawSurface g) {
    double size = 10 * scale;
    g.fillRect(0, 0, width, h, Palette.PANEL);
    g.line(0, h - 0.5, width, h - 0.5, Palette.GRID, 1, false);
    g.clip(vp.left(), 0, vp.width(), h);
    drawTicks(vp, origin, scale, size, h, Double.NaN, Double.NaN, g);
    g.unclip();
    drawTitle(title, labelWidth, size, h, g);
  }

  private static void drawTitle(String title, double labelWidth, double size, double h,
      DrawSurface g) {
    g.text(Drawing.fit(g, title, labelWidth - 12, size, true), 8, h * 0.62, Palette.TEXT, size,
        true);
  }

  /**
   * The ticks and their labels, times counted from {@code origin}; a label that would touch
   * {@code [boxFrom, boxTo]} (NaN: none) is left out, and none runs past the view's edges.
   */
  private static void drawTicks(Viewport vp, long origin, double scale, double size, double h,
      double boxFrom, double boxTo, DrawSurface g) {
    double left = vp.left() + 2;
    double right = vp.left() + vp.width() - 2;
    double step = Drawing.tickStep(vp.nsPerPixel(), 90 * scale);
    double first = Math.ceil((vp.from() - origin) / step) * step;
    double lastEnd = Double.NEGATIVE_INFINITY;
    for (double t = first; t + origin <= vp.to(); t += step) {
      double x = Math.round(vp.x(t + origin)) + 0.5;
      g.line(x, h * 0.55, x, h, Palette.TEXT_MUTED, 1, false);
      String label = TimeFormat.offset(t, step);
      double w = g.textWidth(label, size, false);
      double lx = x + 3 + w <= right ? x + 3 : x - 3 - w;
      boolean fits = lx >= left && lx > lastEnd + 4;
      boolean clear = Double.isNaN(boxFrom) || lx + w < boxFrom || lx > boxTo;
      if (fits && clear) {
        g.text(label, lx, h * 0.5, Palette.TEXT_MUTED, size, false);
        lastEnd = lx + w;
      }
    }
  }

  /**
   * Where an interrupted run was cut: the dashed line through the ruler and its label, low in
   * the ruler (clear of the tick labels above), kept inside the view.
   */
  private static void drawCut(ViewState state, DrawSurface g, double h, double size, double left,
      double right, double scale) {
    if (!state.model().interrupted()) {
      return;
    }
    Viewport vp = state.viewport();
    double x = vp.x(state.model().end().time());
    if (x < vp.left() || x > vp.left() + vp.width()) {
      return;
    }
    String label = "cut (" + state.model().end().reason() + ")";
    double w = g.textWidth(label, size, true);
    g.line(Math.round(x) + 0.5, 0, Math.round(x) + 0.5, h, Palette.CUT, 2 * scale, true);
    double lx = x - w - 3 >= left ? x - w - 3 : Math.min(right - w, x + 3);
    g.text(label, lx, h - 3, Palette.CUT, size, true);
  }
}
