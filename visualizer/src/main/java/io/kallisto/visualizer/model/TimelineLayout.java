package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where everything goes on the timeline, in pixels, and what is under a point: the ruler at
 * the top, the lanes (an instant strip for posts and marks, then one row per nesting level), the
 * counter tracks under the lanes, and the legend at the bottom. Lanes and counters scroll
 * vertically; ruler and legend stay. All sizes scale together for presentation mode.
 */
public final class TimelineLayout {
  /** What a counter track draws. */
  public enum TrackKind {
    /** A counter a thread sampled, such as its queue depth. */
    SERIES,
    /** Connections open across all threads. */
    CONNECTIONS,
    /** Request ends per second. */
    REQUEST_RATE
  }

  /** One counter track under the lanes. */
  public record CounterTrack(String title, TrackKind kind, Series series, int lane) {}

  /** What a point falls on. */
  public enum Area { RULER, LANE, COUNTER, LEGEND, LABELS, NONE }

  /**
   * What is under a point: the area, and for lanes the lane and row (-1 for the instant strip),
   * for counters the track.
   */
  public record Hit(Area area, int lane, int row, int track) {
    static final Hit NONE = new Hit(Area.NONE, -1, -1, -1);
  }

  private final double scale;
  private final double width;
  private final double height;
  private final double[] laneTop;
  private final double[] laneHeight;
  private final List<CounterTrack> tracks;
  private final double tracksTop;
  private final double contentHeight;
  private double scrollY;

  /** Lays out {@code model} on a {@code width} x {@code height} surface at {@code scale}. */
  public TimelineLayout(TraceModel model, double width, double height, double scale) {
    this.scale = scale;
    this.width = width;
    this.height = height;
    List<Lane> lanes = model.lanes();
    laneTop = new double[lanes.size()];
    laneHeight = new double[lanes.size()];
    double y = 0;
    for (int i = 0; i < lanes.size(); i++) {
      laneTop[i] = y;
      laneHeight[i] = stripHeight() + Math.max(1, lanes.get(i).rowCount()) * rowHeight()
          + 2 * scale;
      y += laneHeight[i] + laneGap();
    }
    List<CounterTrack> t = new ArrayList<>();
    for (Lane lane : lanes) {
      for (Series s : lane.counters().values()) {
        t.add(new CounterTrack(s.name() + " · " + lane.name(), TrackKind.SERIES, s,
            lane.index()));
      }
    }
    t.add(new CounterTrack("active connections", TrackKind.CONNECTIONS,
        model.activeConnections(), -1));
    t.add(new CounterTrack("requests/s", TrackKind.REQUEST_RATE, null, -1));
    tracks = Collections.unmodifiableList(t);
    tracksTop = y + sectionGap();
    contentHeight = tracksTop + tracks.size() * trackHeight();
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

  /** Space between lanes. */
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

  /** The top of the scrolling area (just under the ruler). */
  public double scrollTop() {
    return rulerHeight();
  }

  /** The height of the scrolling area between ruler and legend. */
  public double scrollHeight() {
    return Math.max(0, height - rulerHeight() - legendHeight());
  }

  /** Height of all lanes and tracks together. */
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

  /** The height of lane {@code lane}. */
  public double laneHeight(int lane) {
    return laneHeight[lane];
  }

  /** The on-screen top of row {@code row} of lane {@code lane}. */
  public double rowTop(int lane, int row) {
    return laneTop(lane) + stripHeight() + row * rowHeight();
  }

  /** The counter tracks, top to bottom. */
  public List<CounterTrack> tracks() {
    return tracks;
  }

  /** The on-screen top of counter track {@code track}. */
  public double trackTop(int track) {
    return scrollTop() - scrollY + tracksTop + track * trackHeight();
  }

  /** The on-screen top of the counters section. */
  public double tracksTop() {
    return scrollTop() - scrollY + tracksTop;
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
    for (int i = 0; i < laneTop.length; i++) {
      double top = laneTop(i);
      if (y >= top && y < top + laneHeight[i]) {
        double inRows = y - top - stripHeight();
        int row = inRows < 0 ? -1 : (int) (inRows / rowHeight());
        return new Hit(labels ? Area.LABELS : Area.LANE, i, row, -1);
      }
    }
    for (int t = 0; t < tracks.size(); t++) {
      double top = trackTop(t);
      if (y >= top && y < top + trackHeight()) {
        return new Hit(labels ? Area.LABELS : Area.COUNTER, -1, -1, t);
      }
    }
    return Hit.NONE;
  }
}
