package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.CounterTrack;
import io.kallisto.visualizer.model.Figures;
import io.kallisto.visualizer.model.Series;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Viewport;
import java.util.Locale;

/**
 * Counter tracks, as Perfetto draws them: a step chart per track over a value axis (0 at the
 * baseline, a round maximum at the top, both labelled), the value at the replay cursor, and,
 * under the pointer, a hairline and a readout of the value holding there. A sampled counter's
 * readout says how long before the pointer the value was sampled, so a held sample never reads
 * as current.
 *
 * <p>A frame costs one pass over the pixel columns per track, whatever the number of samples:
 * each column shows the largest value holding in it, from the series' block maxima.
 */
final class CounterRenderer {
  /** Requests per second are counted over at least this window, so the rate is not spiky. */
  static final long RATE_WINDOW_NS = 1_000_000;
  /** The line at the top of the value axis: fainter than the baseline. */
  static final int AXIS = 0xFFE4E7EB;

  private double[] rate = new double[0];
  /** Each track's axis label and the maximum it was made for: formatting costs, so reuse. */
  private String[] axisText = new String[0];
  private double[] axisValue = new double[0];

  /** Draws track {@code t} at its place in {@code layout}. */
  void drawTrack(ViewState state, TimelineLayout layout, CounterTrack track, DrawSurface g) {
    Viewport vp = state.viewport();
    double y = layout.trackTop(track.index());
    double h = layout.trackHeight();
    double pad = 3 * layout.scale();
    double top = y + pad;
    double chartH = h - 2 * pad;
    double size = layout.smallFontSize();
    // Hairlines as one-pixel fills: a long stroked (let alone dashed) line costs far more.
    g.fillRect(vp.left(), top + chartH, vp.width(), 1, Palette.GRID);
    double axisMax;
    if (track.kind() == CounterTrack.Kind.REQUEST_RATE) {
      axisMax = drawRate(state.model(), vp, top, chartH, g);
    } else {
      axisMax = drawSeries(track.series(), vp, top, chartH, g);
    }
    if (axisMax <= 0) {
      g.text("none recorded", vp.left() + 4, top + size, Palette.TEXT_MUTED, size, false);
      return;
    }
    // The axis: a faint line at the round maximum, labelled, and 0 at the baseline.
    g.fillRect(vp.left(), top, vp.width(), 1, AXIS);
    double labelX = vp.left() + 4;
    Drawing.pill(g, axisLabel(axisMax, track), labelX, top + size * 0.95, size * 0.9, false,
        Palette.TEXT_MUTED, 0xD9FFFFFF);
    Drawing.pill(g, "0", labelX, top + chartH - 1, size * 0.9, false, Palette.TEXT_MUTED,
        0xD9FFFFFF);
    if (state.cursorVisible() && state.cursor() >= vp.from() && state.cursor() <= vp.to()) {
      String v = valueText(state, track, state.cursor());
      Drawing.pill(g, v, vp.x(state.cursor()) + 4, top + size * 0.95, size, true,
          Palette.VERMILION, 0xE6FFFFFF);
    }
  }

  private String axisLabel(double max, CounterTrack track) {
    int t = track.index();
    if (t >= axisText.length) {
      axisText = java.util.Arrays.copyOf(axisText, t + 1);
      axisValue = java.util.Arrays.copyOf(axisValue, t + 1);
    }
    if (axisText[t] == null || axisValue[t] != max) {
      axisValue[t] = max;
      axisText[t] = track.kind() == CounterTrack.Kind.REQUEST_RATE
          ? String.format(Locale.ROOT, "%,.0f/s", max) : Figures.count((long) max);
    }
    return axisText[t];
  }

  /** The step chart of {@code s}; returns the axis maximum (0 if nothing was recorded). */
  private double drawSeries(Series s, Viewport vp, double top, double h, DrawSurface g) {
    if (s == null || s.size() == 0) {
      return 0;
    }
    double max = Drawing.niceCeiling(s.max());
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
    return max;
  }

  /** Requests per second per column; returns the axis maximum (0 if there are no requests). */
  private double drawRate(TraceModel model, Viewport vp, double top, double h, DrawSurface g) {
    if (!model.hasRequests()) {
      return 0;
    }
    int columns = (int) Math.ceil(vp.width());
    if (rate.length < columns) {
      rate = new double[columns];
    }
    double window = rateWindow(vp);
    double max = 1;
    for (int c = 0; c < columns; c++) {
      double t1 = vp.time(vp.left() + c + 1);
      rate[c] = model.requestsBetween((long) (t1 - window), (long) t1) * 1e9 / window;
      max = Math.max(max, rate[c]);
    }
    double axis = Drawing.niceCeiling(max);
    for (int c = 0; c < columns; c++) {
      double bh = Math.round(h * rate[c] / axis);
      if (bh > 0) {
        g.fillRect(vp.left() + c, top + h - bh, 1, bh, Palette.COUNTER);
      }
    }
    return axis;
  }

  private static double rateWindow(Viewport vp) {
    return Math.max(vp.nsPerPixel(), RATE_WINDOW_NS);
  }

  /** The value of {@code track} holding at {@code t}, as a short figure. */
  static String valueText(ViewState state, CounterTrack track, long t) {
    if (track.kind() == CounterTrack.Kind.REQUEST_RATE) {
      double window = rateWindow(state.viewport());
      double r = state.model().requestsBetween((long) (t - window), t) * 1e9 / window;
      return String.format(Locale.ROOT, "%,.0f/s", r);
    }
    Series s = track.series();
    int i = s == null ? -1 : s.indexAt(t);
    return i < 0 ? (s != null && !s.sampled() ? "0" : "-") : Figures.count(s.value(i));
  }

  /**
   * The readout for the pointer at {@code t} over {@code track}: its full name and the value
   * holding there, and for a sampled counter how long before {@code t} it was sampled.
   */
  static String readout(ViewState state, CounterTrack track, long t) {
    String value = valueText(state, track, t);
    String note = "";
    if (track.kind() == CounterTrack.Kind.REQUEST_RATE) {
      note = " (over " + TimeFormat.duration(rateWindow(state.viewport())) + ")";
    } else if (track.series() != null && track.series().sampled()) {
      int i = track.series().indexAt(t);
      if (i < 0) {
        note = " (not sampled yet)";
      } else if (t > track.series().time(i)) {
        note = " (sampled " + TimeFormat.duration(t - track.series().time(i)) + " earlier)";
      }
    }
    return track.title() + ": " + value + note;
  }

  /**
   * The hairline and the dot of the pointer over {@code track} at {@code x}; the readout box
   * itself is drawn last of all, over everything.
   */
  void drawPointer(ViewState state, TimelineLayout layout, CounterTrack track, double x,
      DrawSurface g) {
    double y = layout.trackTop(track.index());
    g.line(x, y, x, y + layout.trackHeight(), Palette.TEXT, 1, false);
  }
}
