package io.kallisto.visualizer.render;

/**
 * Small drawing helpers the timeline's parts share: triangles and arrowheads (through two
 * reused coordinate arrays, so that drawing them allocates nothing), text fitted to a width,
 * labels on a background, and round tick steps. Not thread safe, like the surfaces.
 */
final class Drawing {
  private final double[] xs = new double[4];
  private final double[] ys = new double[4];

  /** A downward triangle {@code h} high with its tip at ({@code x}, {@code y + h}). */
  void triangle(DrawSurface g, double x, double y, double h, int color) {
    xs[0] = x - h * 0.6;
    ys[0] = y;
    xs[1] = x + h * 0.6;
    ys[1] = y;
    xs[2] = x;
    ys[2] = y + h;
    g.fillPolygon(xs, ys, 3, color);
  }

  /** An arrowhead of {@code size} at ({@code x1}, {@code y1}), pointing away from (x0, y0). */
  void arrowHead(DrawSurface g, double x0, double y0, double x1, double y1, double size,
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

  /**
   * {@code text} on a filled box, its baseline's left end at ({@code x}, {@code y}); returns
   * the box's width.
   */
  static double pill(DrawSurface g, String text, double x, double y, double size, boolean bold,
      int textColor, int background) {
    double w = g.textWidth(text, size, bold);
    double pad = size * 0.35;
    g.fillRect(x - pad, y - size * 0.95, w + 2 * pad, size * 1.3, background);
    g.text(text, x, y, textColor, size, bold);
    return w + 2 * pad;
  }

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

  /** The smallest of 1, 2 or 5 times a power of ten that is at least {@code max} (and 1). */
  static double niceCeiling(double max) {
    if (max <= 1) {
      return 1;
    }
    double pow = Math.pow(10, Math.floor(Math.log10(max)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * pow >= max - 1e-9) {
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

  /**
   * {@code text} cut in the middle to fit {@code width}, keeping as much of its end as of its
   * start ({@code open conn…worker-1}): where names differ only at the end, so do their cuts.
   */
  static String fitMiddle(DrawSurface g, String text, double width, double size, boolean bold) {
    if (g.textWidth(text, size, bold) <= width) {
      return text;
    }
    int lo = 0;
    int hi = text.length() / 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (g.textWidth(middle(text, mid), size, bold) <= width) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo == 0 ? fitTail(g, text, width, size, bold) : middle(text, lo);
  }

  private static String middle(String text, int keep) {
    return text.substring(0, keep) + "…" + text.substring(text.length() - keep);
  }

  /** The end of {@code text} after an ellipsis, to fit {@code width}. */
  static String fitTail(DrawSurface g, String text, double width, double size, boolean bold) {
    int lo = 0;
    int hi = text.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (g.textWidth("…" + text.substring(text.length() - mid), size, bold) <= width) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo == 0 ? "" : "…" + text.substring(text.length() - lo);
  }
}
