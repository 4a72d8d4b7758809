package io.kallisto.visualizer.render;

import io.kallisto.visualizer.model.CounterTrack;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.Search;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import java.util.List;

/**
 * The label column at the left: each thread's name with a triangle that collapses or expands
 * it, its counter tracks indented under it, each with a pin, then the whole-run tracks. A
 * pinned track is named in full ({@code queue depth · worker-0}) since it has left its thread.
 *
 * <p>Names that do not fit are cut with an ellipsis, and no two labels may be cut to the same
 * text: a cut that collides with another label is made in the middle instead, keeping the end
 * where such names differ ({@code open conn…worker-1}). The full name shows when the pointer is
 * over a label.
 */
final class LabelColumn {
  /** The label texts of the last frame: lanes first, then tracks from {@link #tracksBase}. */
  private String[] texts = new String[0];
  private String[] full = new String[0];
  private int tracksBase;
  // What the texts were fitted for: fitting measures text, so it is redone only on a change.
  private Object fittedModel;
  private double fittedWidth;
  private double fittedSize;
  private boolean[] fittedPinned = new boolean[0];

  /** The labels of the scrolling area: threads and the tracks shown there. */
  void drawScrolling(ViewState state, TimelineLayout layout, DrawSurface g) {
    double w = layout.labelWidth();
    g.fillRect(0, layout.scrollTop(), w, layout.scrollHeight(), Palette.PANEL);
    g.line(w - 0.5, layout.scrollTop(), w - 0.5, layout.scrollTop() + layout.scrollHeight(),
        Palette.GRID, 1, false);
    List<Lane> lanes = state.model().lanes();
    List<CounterTrack> tracks = layout.tracks();
    fitAll(state, layout, g);
    double size = layout.fontSize();
    Search.Result current = state.searchResult();
    for (Lane lane : lanes) {
      int i = lane.index();
      double y = layout.laneTop(i);
      double baseline = y + layout.stripHeight() + layout.rowHeight() * 0.5 + size * 0.36;
      if (current != null && current.kind() == Search.Kind.THREAD && current.lane() == i) {
        g.fillRect(2, y + layout.stripHeight(), w - 4, layout.rowHeight(), Palette.HIGHLIGHT);
      }
      if (layout.collapsible(i)) {
        triangle(g, 8 * layout.scale(), baseline - size * 0.4, size * 0.55, layout.collapsed(i));
      }
      g.text(texts[i], 8 + size, baseline, Palette.TEXT, size, true);
      if (lane.hiddenSlices() > 0 && !layout.collapsed(i) && layout.visibleRows(i) > 1) {
        g.text(Drawing.fit(g, "+" + lane.hiddenSlices() + " nested too deep", w - 12,
            layout.smallFontSize(), false), 8 + size, baseline + layout.rowHeight(),
            Palette.TEXT_MUTED, layout.smallFontSize(), false);
      }
    }
    double small = layout.smallFontSize();
    g.text("whole run", 8, layout.wholeRunTop() - 6 * layout.scale(), Palette.TEXT_MUTED, small,
        true);
    for (CounterTrack t : tracks) {
      if (layout.trackShown(t.index()) && !layout.trackPinned(t.index())) {
        drawTrackLabel(state, layout, t, g);
      }
    }
  }

  /** The labels of the pinned tracks. */
  void drawPinned(ViewState state, TimelineLayout layout, DrawSurface g) {
    double w = layout.labelWidth();
    g.fillRect(0, layout.pinnedTop(), w, layout.pinnedHeight(), Palette.PANEL);
    g.line(w - 0.5, layout.pinnedTop(), w - 0.5, layout.pinnedTop() + layout.pinnedHeight(),
        Palette.GRID, 1, false);
    for (CounterTrack t : layout.tracks()) {
      if (layout.trackPinned(t.index())) {
        drawTrackLabel(state, layout, t, g);
      }
    }
  }

  private void drawTrackLabel(ViewState state, TimelineLayout layout, CounterTrack t,
      DrawSurface g) {
    double size = layout.fontSize();
    double y = layout.trackTop(t.index());
    Search.Result current = state.searchResult();
    if (current != null && current.kind() == Search.Kind.COUNTER
        && current.track() == t.index()) {
      g.fillRect(2, y + 2, layout.labelWidth() - 4, layout.trackHeight() - 4, Palette.HIGHLIGHT);
    }
    double x = 8 + (grouped(layout, t) ? layout.trackIndent() : 0);
    g.text(texts[tracksBase + t.index()], x,
        y + layout.trackHeight() / 2 + size * 0.36, Palette.TEXT, size, false);
    pin(g, layout.labelWidth() - layout.pinWidth() / 2 - 2, y + layout.trackHeight() / 2,
        layout.scale(), layout.trackPinned(t.index()));
  }

  private static boolean grouped(TimelineLayout layout, CounterTrack t) {
    return !t.wholeRun() && !layout.trackPinned(t.index());
  }


  /**
   * Fits every label to its room, then re-cuts in the middle any cut label that came out the
   * same as another label.
   */
  private void fitAll(ViewState state, TimelineLayout layout, DrawSurface g) {
    List<Lane> lanes = state.model().lanes();
    List<CounterTrack> tracks = layout.tracks();
    if (fitted(state, layout)) {
      return;
    }
    int n = lanes.size() + tracks.size();
    if (texts.length != n) {
      texts = new String[n];
      full = new String[n];
    }
    tracksBase = lanes.size();
    double size = layout.fontSize();
    double laneRoom = layout.labelWidth() - 12 - size;
    for (Lane lane : lanes) {
      full[lane.index()] = lane.name();
      texts[lane.index()] = Drawing.fit(g, lane.name(), laneRoom, size, true);
    }
    for (CounterTrack t : tracks) {
      int k = lanes.size() + t.index();
      full[k] = grouped(layout, t) ? t.name() : t.title();
      texts[k] = Drawing.fit(g, full[k], room(layout, t), size, false);
    }
    // Every cut that collides is re-cut, all members of a collision alike.
    boolean[] recut = new boolean[n];
    for (int k = 0; k < n; k++) {
      recut[k] = !texts[k].equals(full[k]) && collides(k);
    }
    for (int pass = 0; pass < 2; pass++) {
      for (int k = 0; k < n; k++) {
        if (recut[k]) {
          boolean bold = k < lanes.size();
          double room = bold ? laneRoom : room(layout, tracks.get(k - lanes.size()));
          texts[k] = pass == 0 ? Drawing.fitMiddle(g, full[k], room, size, bold)
              : Drawing.fitTail(g, full[k], room, size, bold);
        }
      }
      for (int k = 0; k < n; k++) {
        recut[k] = recut[k] && collides(k);
      }
    }
  }

  /** True if the texts were fitted for this model, width, font and set of pinned tracks. */
  private boolean fitted(ViewState state, TimelineLayout layout) {
    boolean same = fittedModel == state.model() && fittedWidth == layout.labelWidth()
        && fittedSize == layout.fontSize() && fittedPinned.length == layout.tracks().size();
    if (fittedPinned.length != layout.tracks().size()) {
      fittedPinned = new boolean[layout.tracks().size()];
    }
    for (int t = 0; t < fittedPinned.length; t++) {
      same &= fittedPinned[t] == layout.trackPinned(t);
      fittedPinned[t] = layout.trackPinned(t);
    }
    fittedModel = state.model();
    fittedWidth = layout.labelWidth();
    fittedSize = layout.fontSize();
    return same;
  }

  private static double room(TimelineLayout layout, CounterTrack t) {
    return layout.labelWidth() - 8 - layout.pinWidth() - 4
        - (grouped(layout, t) ? layout.trackIndent() : 0);
  }

  private boolean collides(int k) {
    for (int j = 0; j < texts.length; j++) {
      if (j != k && texts[j] != null && texts[j].equals(texts[k]) && !full[j].equals(full[k])) {
        return true;
      }
    }
    return false;
  }

  /** The text drawn for lane {@code lane}'s label in the last frame (tests). */
  String laneText(int lane) {
    return texts[lane];
  }

  /** The text drawn for counter track {@code track}'s label in the last frame (tests). */
  String trackText(int track) {
    return texts[tracksBase + track];
  }

  /** The full name of what the label at {@code hit} names, or {@code null}. */
  static String fullName(ViewState state, TimelineLayout layout, TimelineLayout.Hit hit) {
    if (hit.track() >= 0) {
      return layout.tracks().get(hit.track()).title()
          + (hit.area() == TimelineLayout.Area.PIN
          ? (layout.trackPinned(hit.track()) ? " (click to unpin)" : " (click to pin on top)")
          : "");
    }
    if (hit.lane() >= 0) {
      Lane lane = state.model().lanes().get(hit.lane());
      return lane.name() + (layout.collapsible(hit.lane())
          ? (layout.collapsed(hit.lane()) ? " (click to expand)" : " (click to collapse)") : "");
    }
    return null;
  }

  private final double[] xs = new double[3];
  private final double[] ys = new double[3];

  /** ▸ when collapsed, ▾ when expanded, centred at (x, y). */
  private void triangle(DrawSurface g, double x, double y, double h, boolean collapsedNow) {
    if (collapsedNow) {
      xs[0] = x - h * 0.4;
      ys[0] = y - h * 0.6;
      xs[1] = x - h * 0.4;
      ys[1] = y + h * 0.6;
      xs[2] = x + h * 0.6;
      ys[2] = y;
    } else {
      xs[0] = x - h * 0.6;
      ys[0] = y - h * 0.4;
      xs[1] = x + h * 0.6;
      ys[1] = y - h * 0.4;
      xs[2] = x;
      ys[2] = y + h * 0.6;
    }
    g.fillPolygon(xs, ys, 3, Palette.TEXT_MUTED);
  }

  /** A drawing pin: solid when pinned, an outline when not. */
  private static void pin(DrawSurface g, double x, double y, double scale, boolean pinned) {
    double r = 3.5 * scale;
    int color = pinned ? Palette.BLUE : Palette.AVOIDED_TICK;
    g.line(x, y, x, y + 2.6 * r, color, 1.4 * scale, false);
    if (pinned) {
      g.fillRect(x - r, y - r, 2 * r, 2 * r, color);
    } else {
      g.strokeRect(x - r, y - r, 2 * r, 2 * r, color, 1.2 * scale);
    }
  }
}
