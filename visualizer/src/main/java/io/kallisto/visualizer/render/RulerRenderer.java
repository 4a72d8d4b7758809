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
    Viewport vp = state.viewport();
    long origin = state.model().firstTime();
    double step = Drawing.tickStep(vp.nsPerPixel(), 90 * layout.scale());
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
    double step = Drawing.tickStep(vp.nsPerPixel(), 90 * layout.scale());
    double origin = state.model().firstTime();
    double first = Math.ceil((vp.from() - origin) / step) * step;
    g.clip(vp.left(), 0, vp.width(), h);
    double lastEnd = Double.NEGATIVE_INFINITY;
    for (double t = first; t + origin <= vp.to(); t += step) {
      double x = Math.round(vp.x(t + origin)) + 0.5;
      g.line(x, h * 0.55, x, h, Palette.TEXT_MUTED, 1, false);
      String label = TimeFormat.offset(t, step);
      double w = g.textWidth(label, size, false);
      double lx = x + 3 + w <= right ? x + 3 : x - 3 - w;
      boolean fits = lx >= left && lx > lastEnd + 4;
      boolean clear = length == null || lx + w < boxFrom || lx > boxTo;
      if (fits && clear) {
        g.text(label, lx, h * 0.5, Palette.TEXT_MUTED, size, false);
        lastEnd = lx + w;
      }
    }
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
    String title = state.model().displayName();
    g.text(Drawing.fit(g, title, layout.labelWidth() - 12, size, true), 8, h * 0.62, Palette.TEXT,
        size, true);
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
