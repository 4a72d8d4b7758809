package io.kallisto.visualizer.model;

import java.util.Arrays;
import java.util.List;

/**
 * Where everything goes on the timeline, in pixels, and what is under a point. From the top:
 * the ruler; the pinned counter tracks, which stay put; then the scrolling area, where each
 * thread is a group (its lane: a strip of instants for posts and marks and a row per nesting
 * level; then its own counter tracks), followed by the whole-run tracks; and the legend at the
 * bottom. A collapsed thread shows only its loop row, and none of its counters. All sizes scale
 * together for presentation mode.
 */
public final class TimelineLayout {
  /** What a point falls on. */
  public enum Area {
    /** The time ruler. */
    RULER,
    /** A lane's strip or rows. */
    LANE,
    /** A counter track's chart. */
    COUNTER,
    /** The legend. */
    LEGEND,
    /** The label column beside a lane (click: collapse or expand) or a track. */
    LABELS,
    /** A counter track's pin (click: pin or unpin). */
    PIN,
    /** Nothing. */
    NONE
  }

  /**
   * What is under a point: the area, and for lanes the lane and row (-1 for the instant strip),
   * for counters the track (an index into {@link TraceModel#counterTracks()}).
   */
  public record Hit(Area area, int lane, int row, int track) {
    static final Hit NONE = new Hit(Area.NONE, -1, -1, -1);
  }

  private final double scale;
  private final double width;
  private final double height;
  private final double[] laneTop;
  private final double[] laneHeight;
  private final double[] groupHeight;
  private final int[] visibleRows;
  private final boolean[] collapsible;
  private final boolean[] collapsed;
  private final List<CounterTrack> tracks;
  /** Content y of each track in the scrolling area; NaN if pinned or hidden. */
  private final double[] trackTop;
  /** Each track's place among the pinned ones, or -1. */
  private final int[] pinSlot;
  private final int pinnedCount;
  private final double wholeRunTop;
  private final double contentHeight;
  private double scrollY;

  /** Lays out {@code model} on a {@code width} x {@code height} surface at {@code scale}. */
  public TimelineLayout(TraceModel model, double width, double height, double scale) {
    this(model, width, height, scale, new boolean[model.lanes().size()], List.of());
  }

  /**
   * Lays out {@code model} with the threads {@code collapsed} says (by lane) collapsed and the
   * counter tracks in {@code pinned} pinned, in that order.
   */
  public TimelineLayout(TraceModel model, double width, double height, double scale,
      boolean[] collapsed, List<Integer> pinned) {
    this.scale = scale;
    this.width = width;
    this.height = height;
    this.collapsed = collapsed.clone();
    List<Lane> lanes = model.lanes();
    tracks = model.counterTracks();
    pinSlot = new int[tracks.size()];
    Arrays.fill(pinSlot, -1);
    int slot = 0;
    for (int t : pinned) {
      pinSlot[t] = slot++;
    }
    pinnedCount = slot;
    trackTop = new double[tracks.size()];
    Arrays.fill(trackTop, Double.NaN);
    int[] tracksOfLane = new int[lanes.size()];
    for (CounterTrack t : tracks) {
      if (!t.wholeRun()) {
        tracksOfLane[t.lane()]++;
      }
    }
    laneTop = new double[lanes.size()];
    laneHeight = new double[lanes.size()];
    groupHeight = new double[lanes.size()];
    visibleRows = new int[lanes.size()];
    collapsible = new boolean[lanes.size()];
    double y = 0;
    int next = 0; // tracks are listed lane by lane
    for (int i = 0; i < lanes.size(); i++) {
      int rows = Math.max(1, lanes.get(i).rowCount());
      collapsible[i] = rows > 1 || tracksOfLane[i] > 0;
      visibleRows[i] = this.collapsed[i] ? 1 : rows;
      laneTop[i] = y;
      laneHeight[i] = stripHeight() + visibleRows[i] * rowHeight() + 2 * scale;
      y += laneHeight[i];
      for (; next < tracks.size() && tracks.get(next).lane() == i; next++) {
        if (!this.collapsed[i] && pinSlot[next] < 0) {
          trackTop[next] = y;
          y += trackHeight();
        }
      }
      groupHeight[i] = y - laneTop[i];
      y += laneGap();
    }
    wholeRunTop = y + sectionGap();
    y = wholeRunTop;
    for (CounterTrack t : tracks) {
      if (t.wholeRun() && pinSlot[t.index()] < 0) {
        trackTop[t.index()] = y;
        y += trackHeight();
      }
    }
    contentHeight = y;
  }

  // ---- sizes -----------------------------------------------------------------------------------

  /** The size factor: 1 normally, larger in presentation mode. */
  public double scale() {
    return scale;
  }

  /** Surface width. */
  public double width() {
    return width;
  }

  /** Surface height. */
  public double height() {
    return height;
  }

  /** The font size for slice labels and lane names. */
  public double fontSize() {
    return 11 * scale;
  }

  /** The font size for the ruler, legend and small notes. */
  public double smallFontSize() {
    return 10 * scale;
  }

  /** Height of one row of slices. */
  public double rowHeight() {
    return 18 * scale;
  }

  /** Height of the strip of instants (posts, marks) above a lane's rows. */
  public double stripHeight() {
    return 8 * scale;
  }

  /** Space between thread groups. */
  public double laneGap() {
    return 6 * scale;
  }

  private double sectionGap() {
    return 24 * scale;
  }

  /** Height of a counter track. */
  public double trackHeight() {
    return 40 * scale;
  }

  /** Width of the label column at the left. */
  public double labelWidth() {
    return Math.min(width * 0.4, 160 * scale);
  }

  /** How far a thread's own tracks are indented under its name in the label column. */
  public double trackIndent() {
    return 14 * scale;
  }

  /** Width of the pin at the right end of a track's label. */
  public double pinWidth() {
    return 16 * scale;
  }

  /** Height of the time ruler at the top. */
  public double rulerHeight() {
    return 24 * scale;
  }

  /** Lines of the legend: two when one would not hold every entry. */
  public int legendLines() {
    return width < 1060 * scale ? 2 : 1;
  }

  /** Height of one legend line. */
  public double legendLineHeight() {
    return 20 * scale;
  }

  /** Height of the legend at the bottom. */
  public double legendHeight() {
    return legendLines() * legendLineHeight() + 2 * scale;
  }

  /** Where the timeline begins, in x. */
  public double timelineLeft() {
    return labelWidth();
  }

  /** The timeline's width. */
  public double timelineWidth() {
    return Math.max(1, width - labelWidth());
  }

  /** The top of the pinned tracks (just under the ruler). */
  public double pinnedTop() {
    return rulerHeight();
  }

  /** The height of the pinned tracks, 0 when none is pinned. */
  public double pinnedHeight() {
    return pinnedCount == 0 ? 0 : pinnedCount * trackHeight() + 3 * scale;
  }

  /** The top of the scrolling area (under the ruler and the pinned tracks). */
  public double scrollTop() {
    return rulerHeight() + pinnedHeight();
  }

  /** The height of the scrolling area between the pinned tracks and the legend. */
  public double scrollHeight() {
    return Math.max(0, height - scrollTop() - legendHeight());
  }

  /** Height of all thread groups and whole-run tracks together. */
  public double contentHeight() {
    return contentHeight;
  }

  /** The furthest the content scrolls. */
  public double maxScroll() {
    return Math.max(0, contentHeight - scrollHeight());
  }

  /** How far the lanes are scrolled up. */
  public double scrollY() {
    return scrollY;
  }

  /** Scrolls to {@code y}, clamped to {@code [0, maxScroll()]}. */
  public void scrollTo(double y) {
    scrollY = Math.max(0, Math.min(maxScroll(), y));
  }

  // ---- positions -------------------------------------------------------------------------------

  /** The on-screen top of lane {@code lane}. */
  public double laneTop(int lane) {
    return scrollTop() - scrollY + laneTop[lane];
  }

  /** The height of lane {@code lane}'s strip and rows (not its counter tracks). */
  public double laneHeight(int lane) {
    return laneHeight[lane];
  }

  /** The height of thread {@code lane}'s group: its lane and its counter tracks. */
  public double groupHeight(int lane) {
    return groupHeight[lane];
  }

  /** The rows of lane {@code lane} that are shown: 1 when it is collapsed. */
  public int visibleRows(int lane) {
    return visibleRows[lane];
  }

  /** True if lane {@code lane} has anything to collapse (more rows, or counter tracks). */
  public boolean collapsible(int lane) {
    return collapsible[lane];
  }

  /** True if thread {@code lane} is collapsed. */
  public boolean collapsed(int lane) {
    return collapsed[lane];
  }

  /** The on-screen top of row {@code row} of lane {@code lane}. */
  public double rowTop(int lane, int row) {
    return laneTop(lane) + stripHeight() + row * rowHeight();
  }

  /** Every counter track (shown, pinned or hidden), as {@link TraceModel#counterTracks()}. */
  public List<CounterTrack> tracks() {
    return tracks;
  }

  /** True if counter track {@code track} is drawn: pinned, or its thread is expanded. */
  public boolean trackShown(int track) {
    return pinSlot[track] >= 0 || !Double.isNaN(trackTop[track]);
  }

  /** True if counter track {@code track} is pinned. */
  public boolean trackPinned(int track) {
    return pinSlot[track] >= 0;
  }

  /** The on-screen top of counter track {@code track}, or NaN if it is not shown. */
  public double trackTop(int track) {
    if (pinSlot[track] >= 0) {
      return pinnedTop() + pinSlot[track] * trackHeight();
    }
    return scrollTop() - scrollY + trackTop[track];
  }

  /** The on-screen top of the whole-run tracks' section. */
  public double wholeRunTop() {
    return scrollTop() - scrollY + wholeRunTop;
  }

  /** The top of the legend. */
  public double legendTop() {
    return height - legendHeight();
  }

  /** What is at ({@code x}, {@code y}). */
  public Hit hit(double x, double y) {
    if (y < 0 || y >= height || x < 0 || x >= width) {
      return Hit.NONE;
    }
    if (y < rulerHeight()) {
      return new Hit(Area.RULER, -1, -1, -1);
    }
    if (y >= legendTop()) {
      return new Hit(Area.LEGEND, -1, -1, -1);
    }
    boolean labels = x < timelineLeft();
    if (y < scrollTop()) {
      for (int t = 0; t < tracks.size(); t++) {
        if (pinSlot[t] >= 0 && y >= trackTop(t) && y < trackTop(t) + trackHeight()) {
          return trackHit(x, labels, t);
        }
      }
      return Hit.NONE;
    }
    for (int i = 0; i < laneTop.length; i++) {
      double top = laneTop(i);
      if (y >= top && y < top + laneHeight[i]) {
        double inRows = y - top - stripHeight();
        int row = inRows < 0 ? -1 : Math.min(visibleRows[i] - 1, (int) (inRows / rowHeight()));
        return new Hit(labels ? Area.LABELS : Area.LANE, i, row, -1);
      }
    }
    for (int t = 0; t < tracks.size(); t++) {
      if (pinSlot[t] < 0 && !Double.isNaN(trackTop[t])) {
        double top = trackTop(t);
        if (y >= top && y < top + trackHeight()) {
          return trackHit(x, labels, t);
        }
      }
    }
    return Hit.NONE;
  }

  private Hit trackHit(double x, boolean labels, int t) {
    int lane = tracks.get(t).lane();
    if (!labels) {
      return new Hit(Area.COUNTER, lane, -1, t);
    }
    return new Hit(x >= labelWidth() - pinWidth() ? Area.PIN : Area.LABELS, lane, -1, t);
  }
}
