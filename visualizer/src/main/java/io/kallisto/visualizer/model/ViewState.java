package io.kallisto.visualizer.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything a timeline picture depends on besides the trace: the visible range, the vertical
 * scroll, the selected slice, the selected range, the replay cursor, the search, the flow and
 * presentation switches. The window and the offscreen renderer draw from the same state.
 *
 * <p>Not thread safe: the window changes it on the FX thread only. Each change calls the
 * listeners, which should only mark the picture dirty: many changes, one repaint.
 */
public final class ViewState {
  /** Presentation mode enlarges everything by this much. */
  public static final double PRESENTATION_SCALE = 1.6;

  private final TraceModel model;
  private final Viewport viewport;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private double scrollY;
  private SliceRef selection;
  private long rangeFrom = -1;
  private long rangeTo = -1;
  private long cursor;
  private boolean cursorVisible;
  private Search search;
  private boolean allFlows;
  private boolean presentation;

  /** A view of the whole of {@code model}. */
  public ViewState(TraceModel model) {
    this.model = model;
    long first = model.firstTime();
    long last = Math.max(model.lastTime(), first + 1);
    viewport = new Viewport(first, last, 0, 1);
    viewport.limitTo(first, last);
    fit();
    cursor = first;
  }

  /** Calls {@code listener} after every change. */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  private void changed() {
    for (Runnable r : listeners) {
      r.run();
    }
  }

  /** The trace. */
  public TraceModel model() {
    return model;
  }

  /** The visible range; change it through this state's methods so listeners hear of it. */
  public Viewport viewport() {
    return viewport;
  }

  /** A layout for a surface of {@code width} x {@code height}, scrolled as this state says. */
  public TimelineLayout layout(double width, double height) {
    TimelineLayout layout = new TimelineLayout(model, width, height, scale());
    layout.scrollTo(scrollY);
    viewport.setPixels(layout.timelineLeft(), layout.timelineWidth());
    return layout;
  }

  // ---- navigation ------------------------------------------------------------------------------

  /** Shows the whole trace. */
  public void fit() {
    long first = model.firstTime();
    long last = Math.max(model.lastTime(), first + 1);
    double margin = (last - first) * 0.01;
    viewport.set(first - margin, last + margin);
    changed();
  }

  /** Shows {@code [from, to]}. */
  public void show(double from, double to) {
    viewport.set(from, to);
    changed();
  }

  /** Zooms by {@code factor} around pixel {@code x} (above 1 zooms in). */
  public void zoom(double factor, double x) {
    viewport.zoom(factor, x);
    changed();
  }

  /** Pans by {@code dx} pixels. */
  public void pan(double dx) {
    viewport.pan(dx);
    changed();
  }

  /** Zooms to slice {@code ref}, with a margin on both sides. */
  public void zoomTo(SliceRef ref) {
    Lane lane = model.lanes().get(ref.lane());
    long s = lane.start(ref.slice());
    long e = lane.end(ref.slice());
    double margin = Math.max(Viewport.MIN_SPAN, (e - s) * 0.15);
    show(s - margin, e + margin);
  }

  /** How far lanes are scrolled up, in pixels. */
  public double scrollY() {
    return scrollY;
  }

  /** Scrolls the lanes (clamped when laid out). */
  public void scrollTo(double y) {
    scrollY = Math.max(0, y);
    changed();
  }

  // ---- selection -------------------------------------------------------------------------------

  /** The selected slice, or {@code null}. */
  public SliceRef selection() {
    return selection;
  }

  /** Selects {@code ref} (null clears). */
  public void select(SliceRef ref) {
    selection = ref;
    changed();
  }

  /** True when a time range is selected. */
  public boolean hasRange() {
    return rangeTo > rangeFrom;
  }

  /** The selected range's start. */
  public long rangeFrom() {
    return rangeFrom;
  }

  /** The selected range's end. */
  public long rangeTo() {
    return rangeTo;
  }

  /** Selects {@code [a, b]} in either order; an empty range clears it. */
  public void selectRange(long a, long b) {
    rangeFrom = Math.min(a, b);
    rangeTo = Math.max(a, b);
    changed();
  }

  /** Clears the range. */
  public void clearRange() {
    rangeFrom = -1;
    rangeTo = -1;
    changed();
  }

  // ---- replay ----------------------------------------------------------------------------------

  /** The replay cursor's time. */
  public long cursor() {
    return cursor;
  }

  /** True once the cursor has been placed or played. */
  public boolean cursorVisible() {
    return cursorVisible;
  }

  /** Moves the cursor to {@code t}, clamped to the trace, and shows it. */
  public void setCursor(long t) {
    cursor = Math.max(model.firstTime(), Math.min(model.lastTime(), t));
    cursorVisible = true;
    changed();
  }

  /** Pans, if needed, so that the cursor is in view (a fifth from the left edge). */
  public void follow() {
    if (cursor < viewport.from() || cursor > viewport.to()) {
      double span = viewport.span();
      viewport.set(cursor - span * 0.2, cursor + span * 0.8);
      changed();
    }
  }

  // ---- search and switches ---------------------------------------------------------------------

  /** The active search, or {@code null}. */
  public Search search() {
    return search;
  }

  /** Searches for {@code text}; blank clears the search. */
  public void search(String text) {
    search = text == null || text.isBlank() ? null : Search.of(model, text.strip());
    changed();
  }

  /** True when arrows are drawn for every post in view, not only the selection's. */
  public boolean allFlows() {
    return allFlows;
  }

  /** Turns arrows for every post in view on or off. */
  public void setAllFlows(boolean on) {
    allFlows = on;
    changed();
  }

  /** True in presentation mode: larger fonts and rows. */
  public boolean presentation() {
    return presentation;
  }

  /** Turns presentation mode on or off. */
  public void setPresentation(boolean on) {
    presentation = on;
    changed();
  }

  /** The size factor for layouts. */
  public double scale() {
    return presentation ? PRESENTATION_SCALE : 1;
  }
}
