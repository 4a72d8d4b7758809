package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything a timeline picture depends on besides the trace: the visible range, the vertical
 * scroll, the selected slice or post, the selected range, the replay cursor, the search and the
 * result it is on, the pointer (for hover readouts), which threads are collapsed and which
 * counter tracks are pinned, and the flow and presentation switches. The window and the
 * offscreen renderer draw from the same state.
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
  private final boolean[] collapsed;
  private final List<Integer> pinned = new ArrayList<>();
  private double scrollY;
  private SliceRef selection;
  private PostRef post;
  private long rangeFrom = -1;
  private long rangeTo = -1;
  private long cursor;
  private boolean cursorVisible;
  private Search search;
  private long searchIndex = -1;
  private Search.Result searchResult;
  private boolean allFlows;
  private boolean presentation;
  private long slowThreshold = -1;
  private double pointerX = Double.NaN;
  private double pointerY = Double.NaN;
  private double lastWidth;
  private double lastHeight;

  /** A view of the whole of {@code model}. */
  public ViewState(TraceModel model) {
    this.model = model;
    long first = model.firstTime();
    long last = Math.max(model.lastTime(), first + 1);
    viewport = new Viewport(first, last, 0, 1);
    viewport.limitTo(first, last);
    collapsed = new boolean[model.lanes().size()];
    fit();
    cursor = first;
  }

  /**
   * The latency from which the timeline outlines a request (both sides), or -1 when it
   * outlines none.
   */
  public long slowThreshold() {
    return slowThreshold;
  }

  /**
   * Outlines every request at least {@code nanos} slow end to end (-1: none). The window's
   * default is the trace's p99 ({@code model().requests().percentile(99)}).
   */
  public void highlightSlow(long nanos) {
    slowThreshold = nanos;
    changed();
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
    lastWidth = width;
    lastHeight = height;
    TimelineLayout layout = new TimelineLayout(model, width, height, scale(), collapsed, pinned);
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

  /**
   * Brings {@code [a, b]} into view: nothing if it is in view; a pan that keeps the zoom if it
   * fits; otherwise a zoom out to it, with margins.
   */
  public void showTimes(long a, long b) {
    if (a >= viewport.from() && b <= viewport.to()) {
      return;
    }
    double span = viewport.span();
    if (b - a < span * 0.6) {
      double from = a - span * 0.2;
      show(from, from + span);
    } else {
      double margin = Math.max(Viewport.MIN_SPAN, (b - a) * 0.15);
      show(a - margin, b + margin);
    }
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

  /**
   * Scrolls, if needed, so that {@code [top, top + height)} (on-screen y of the last layout)
   * is in the scrolling area, with a little room around it.
   */
  private void scrollIntoView(TimelineLayout layout, double top, double height) {
    double room = layout.rowHeight();
    double min = layout.scrollTop();
    double max = layout.scrollTop() + layout.scrollHeight();
    double y = scrollY;
    if (top < min) {
      y -= min - top + room;
    } else if (top + height > max) {
      y += Math.min(top - min - room, top + height - max + room);
    }
    scrollY = Math.max(0, Math.min(layout.maxScroll(), y));
  }

  /** Scrolls lane {@code lane}'s row {@code row} (-1: its strip of posts) into view. */
  public void revealLane(int lane, int row) {
    if (row > 0 && collapsed[lane]) {
      collapsed[lane] = false;
    }
    if (lastWidth > 0) {
      TimelineLayout layout = layout(lastWidth, lastHeight);
      double top = row < 0 ? layout.laneTop(lane) : layout.rowTop(lane, row);
      scrollIntoView(layout, top, row < 0 ? layout.stripHeight() : layout.rowHeight());
    }
    changed();
  }

  /** Scrolls counter track {@code track} into view, expanding its thread if collapsed. */
  public void revealTrack(int track) {
    int lane = model.counterTracks().get(track).lane();
    if (lane >= 0) {
      collapsed[lane] = false;
    }
    if (lastWidth > 0 && !pinned.contains(track)) {
      TimelineLayout layout = layout(lastWidth, lastHeight);
      scrollIntoView(layout, layout.trackTop(track), layout.trackHeight());
    }
    changed();
  }

  // ---- selection -------------------------------------------------------------------------------

  /** The selected slice, or {@code null}. */
  public SliceRef selection() {
    return selection;
  }

  /** The selected post, or {@code null}: a post and a slice are never selected together. */
  public PostRef selectedPost() {
    return post;
  }

  /** Selects {@code ref} (null clears). */
  public void select(SliceRef ref) {
    selection = ref;
    post = null;
    if (search != null && ref != null) {
      long k = search.indexOf(ref);
      searchIndex = k;
      searchResult = k < 0 ? null : search.result(k);
    }
    changed();
  }

  /** Selects slice {@code ref} and brings it into view, zooming to it. */
  public void selectAndReveal(SliceRef ref) {
    select(ref);
    zoomTo(ref);
    revealLane(ref.lane(), Math.max(0, model.lanes().get(ref.lane()).rowOf(ref.slice())));
  }

  /** Selects post {@code ref} (null clears). */
  public void selectPost(PostRef ref) {
    post = ref;
    selection = null;
    changed();
  }

  /**
   * Selects post {@code ref} and brings it into view with the callback it caused, keeping the
   * zoom when both fit: "posted by" in the details jumps here.
   */
  public void selectAndRevealPost(PostRef ref) {
    selectPost(ref);
    long t = model.lanes().get(ref.lane()).posts().time(ref.post());
    Flow f = Flows.ofPost(model, ref);
    showTimes(f == null ? t : Math.min(t, f.toTime()), f == null ? t : Math.max(t, f.toTime()));
    revealLane(ref.lane(), -1);
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

  // ---- search ----------------------------------------------------------------------------------

  /** The active search, or {@code null}. */
  public Search search() {
    return search;
  }

  /** Searches for {@code text}; blank clears the search. */
  public void search(String text) {
    search = text == null || text.isBlank() ? null : Search.of(model, text.strip());
    searchIndex = -1;
    searchResult = null;
    changed();
  }

  /** The position of the result shown, from 0, or -1 before the first jump. */
  public long searchIndex() {
    return searchIndex;
  }

  /** The result shown, or {@code null}. */
  public Search.Result searchResult() {
    return searchResult;
  }

  /**
   * Goes to the next result, after the last one wrapping to the first. The first jump goes to
   * the first thread or counter found, else to the first slice after the selection (or after
   * the left edge of the view), so that the search starts where the user is looking.
   */
  public void searchNext() {
    if (search == null || search.total() == 0) {
      return;
    }
    long k;
    if (searchIndex >= 0) {
      k = (searchIndex + 1) % search.total();
    } else if (search.trackTotal() > 0) {
      k = 0;
    } else {
      k = search.firstSliceAtOrAfter(anchor() + (selection != null ? 1 : 0));
      k = k < 0 ? 0 : k;
    }
    showResult(k);
  }

  /** Goes to the previous result, before the first wrapping to the last. */
  public void searchPrevious() {
    if (search == null || search.total() == 0) {
      return;
    }
    long total = search.total();
    long k;
    if (searchIndex >= 0) {
      k = (searchIndex - 1 + total) % total;
    } else {
      long after = search.firstSliceAtOrAfter(anchor());
      k = (after < 0 ? total : after) - 1;
      k = k < 0 ? total - 1 : k;
    }
    showResult(k);
  }

  private long anchor() {
    return selection != null ? model.lanes().get(selection.lane()).start(selection.slice())
        : (long) viewport.from();
  }

  /**
   * Goes to result {@code k}: a slice is selected and zoomed to, a thread or counter track is
   * scrolled into view (and its thread expanded).
   */
  public void showResult(long k) {
    Search.Result r = search.result(k);
    switch (r.kind()) {
      case SLICE:
        selectAndReveal(r.sliceRef());
        break;
      case THREAD:
        revealLane(r.lane(), -1);
        break;
      default:
        revealTrack(r.track());
        break;
    }
    searchIndex = k;
    searchResult = r;
    changed();
  }

  // ---- tracks ----------------------------------------------------------------------------------

  /** True if thread {@code lane} is collapsed: only its loop row shows, none of its counters. */
  public boolean collapsed(int lane) {
    return collapsed[lane];
  }

  /** Collapses or expands thread {@code lane}. */
  public void toggleCollapsed(int lane) {
    collapsed[lane] = !collapsed[lane];
    if (selection != null && selection.lane() == lane && collapsed[lane]
        && model.lanes().get(lane).rowOf(selection.slice()) > 0) {
      selection = null; // a hidden slice cannot stay selected
    }
    changed();
  }

  /** The pinned counter tracks, in the order they were pinned. */
  public List<Integer> pinned() {
    return Collections.unmodifiableList(pinned);
  }

  /** True if counter track {@code track} is pinned. */
  public boolean isPinned(int track) {
    return pinned.contains(track);
  }

  /** Pins counter track {@code track} above the lanes, or unpins it. */
  public void togglePinned(int track) {
    if (!pinned.remove(Integer.valueOf(track))) {
      pinned.add(track);
    }
    changed();
  }

  // ---- pointer and switches ------------------------------------------------------------------

  /** The pointer's x on the surface, or NaN when it is not over the timeline. */
  public double pointerX() {
    return pointerX;
  }

  /** The pointer's y on the surface, or NaN when it is not over the timeline. */
  public double pointerY() {
    return pointerY;
  }

  /** The pointer moved to ({@code x}, {@code y}); NaN: it left the timeline. */
  public void setPointer(double x, double y) {
    pointerX = x;
    pointerY = y;
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
