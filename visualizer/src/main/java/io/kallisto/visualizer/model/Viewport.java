package io.kallisto.visualizer.model;

/**
 * The visible time range and the pixels it maps to: every conversion between screen and trace
 * time happens here. Times are trace nanoseconds held as doubles, so that zooming is smooth
 * below a nanosecond per pixel. Not thread safe: owned by whoever draws.
 */
public final class Viewport {
  /** The narrowest view: 20 ns across the whole width. */
  public static final double MIN_SPAN = 20;

  private double from;
  private double to;
  private double left;
  private double width = 1;
  private double limitFrom = Double.NEGATIVE_INFINITY;
  private double limitTo = Double.POSITIVE_INFINITY;

  /** A view of {@code [from, to]} on {@code width} pixels starting at x = {@code left}. */
  public Viewport(double from, double to, double left, double width) {
    setPixels(left, width);
    set(from, to);
  }

  /** Keeps the view within {@code [from, to]} (plus a margin of 5 % of the whole). */
  public void limitTo(long from, long to) {
    double margin = Math.max(MIN_SPAN, (to - from) * 0.05);
    limitFrom = from - margin;
    limitTo = to + margin;
    set(this.from, this.to);
  }

  /** The pixel column the timeline occupies. */
  public void setPixels(double left, double width) {
    this.left = left;
    this.width = Math.max(1, width);
  }

  /** Shows {@code [from, to]}, clamped to the limits and to {@link #MIN_SPAN}. */
  public void set(double from, double to) {
    double span = Math.max(MIN_SPAN, to - from);
    double maxSpan = limitTo - limitFrom;
    if (span > maxSpan) {
      span = maxSpan;
    }
    if (span < MIN_SPAN) {
      span = MIN_SPAN;
    }
    double f = from;
    if (f < limitFrom) {
      f = limitFrom;
    }
    if (f + span > limitTo) {
      f = limitTo - span;
    }
    this.from = f;
    this.to = f + span;
  }

  /** The earliest visible time. */
  public double from() {
    return from;
  }

  /** The latest visible time. */
  public double to() {
    return to;
  }

  /** The visible span in nanoseconds. */
  public double span() {
    return to - from;
  }

  /** The x of the timeline's left edge. */
  public double left() {
    return left;
  }

  /** The timeline's width in pixels. */
  public double width() {
    return width;
  }

  /** Nanoseconds per pixel. */
  public double nsPerPixel() {
    return (to - from) / width;
  }

  /** The x of time {@code t}. */
  public double x(double t) {
    return left + (t - from) * width / (to - from);
  }

  /** The time at x. */
  public double time(double x) {
    return from + (x - left) * (to - from) / width;
  }

  /** Zooms by {@code factor} (above 1 zooms in), keeping the time under {@code x} in place. */
  public void zoom(double factor, double x) {
    double anchor = time(x);
    double span = (to - from) / factor;
    double ratio = (x - left) / width;
    set(anchor - span * ratio, anchor - span * ratio + span);
  }

  /** Moves the view by {@code dx} pixels (positive shows later times). */
  public void pan(double dx) {
    double dt = dx * nsPerPixel();
    set(from + dt, to + dt);
  }

  /** A copy. */
  public Viewport copy() {
    Viewport v = new Viewport(from, to, left, width);
    v.limitFrom = limitFrom;
    v.limitTo = limitTo;
    return v;
  }
}
