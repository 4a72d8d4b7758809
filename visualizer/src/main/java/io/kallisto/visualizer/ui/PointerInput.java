package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.Instants;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.PostRef;
import io.kallisto.visualizer.model.SliceRef;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import javafx.scene.Cursor;
import javafx.scene.canvas.Canvas;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/**
 * The mouse on the timeline, as in Perfetto: the wheel zooms around the pointer (with Shift or
 * Ctrl it scrolls the lanes), dragging pans, dragging on the ruler or with Shift held selects a
 * range, a click selects the slice under the pointer (on the ruler it moves the replay cursor;
 * on a post's tick above a lane it selects the post; on a thread's name it collapses or expands
 * the thread; on a track's pin it pins or unpins the track), and a double click zooms to the
 * slice. Where the pointer is goes to the view state, for the readouts of counters and names.
 * FX thread only.
 */
final class PointerInput {
  /** A press that moves less than this is a click, not a drag. */
  static final double CLICK_SLOP = 4;

  private enum Mode { NONE, PAN, RANGE, CLICK }

  private final TimelineView view;
  private Mode mode = Mode.NONE;
  private double pressX;
  private double pressY;
  private double lastX;
  private boolean moved;
  private double pointerX = -1;

  PointerInput(TimelineView view) {
    this.view = view;
    Canvas c = view.canvas();
    c.addEventHandler(MouseEvent.MOUSE_MOVED, e -> pointerMoved(e.getX(), e.getY()));
    c.addEventHandler(MouseEvent.MOUSE_EXITED, e -> pointerMoved(-1, Double.NaN));
    c.addEventHandler(ScrollEvent.SCROLL, this::scrolled);
    c.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
    c.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
    c.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
    c.addEventHandler(MouseEvent.MOUSE_CLICKED, this::clicked);
  }

  private void pointerMoved(double x, double y) {
    pointerX = x;
    ViewState state = view.state();
    if (state != null) {
      state.setPointer(x < 0 ? Double.NaN : x, y);
    }
  }

  /** Where keyboard zoom is anchored: the pointer if it is over the timeline, else the middle. */
  double anchorX() {
    TimelineLayout layout = view.timelineLayout();
    if (layout == null) {
      return 0;
    }
    if (pointerX >= layout.timelineLeft()) {
      return pointerX;
    }
    return layout.timelineLeft() + layout.timelineWidth() / 2;
  }

  private void scrolled(ScrollEvent e) {
    ViewState state = view.state();
    TimelineLayout layout = view.timelineLayout();
    if (state == null || layout == null) {
      return;
    }
    double dy = e.getDeltaY() != 0 ? e.getDeltaY() : e.getDeltaX();
    if (e.isShiftDown() || e.isShortcutDown()) {
      state.scrollTo(state.scrollY() - dy);
    } else {
      double x = e.getX() >= layout.timelineLeft() ? e.getX()
          : layout.timelineLeft() + layout.timelineWidth() / 2;
      state.zoom(Math.pow(1.25, dy / 40.0), x);
    }
    e.consume();
  }

  private void pressed(MouseEvent e) {
    view.canvas().requestFocus();
    TimelineLayout layout = view.timelineLayout();
    if (view.state() == null || layout == null || e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    pressX = e.getX();
    pressY = e.getY();
    lastX = e.getX();
    moved = false;
    TimelineLayout.Hit hit = layout.hit(e.getX(), e.getY());
    if (hit.area() == TimelineLayout.Area.RULER || e.isShiftDown()) {
      mode = Mode.RANGE;
    } else if (hit.area() == TimelineLayout.Area.LANE || hit.area() == TimelineLayout.Area.COUNTER) {
      mode = Mode.PAN;
    } else if (hit.area() == TimelineLayout.Area.LABELS || hit.area() == TimelineLayout.Area.PIN) {
      mode = Mode.CLICK;
    } else {
      mode = Mode.NONE;
    }
  }

  private void dragged(MouseEvent e) {
    ViewState state = view.state();
    if (state == null || mode == Mode.NONE || mode == Mode.CLICK) {
      return;
    }
    if (Math.abs(e.getX() - pressX) >= CLICK_SLOP || Math.abs(e.getY() - pressY) >= CLICK_SLOP) {
      moved = true;
    }
    if (!moved) {
      return;
    }
    if (mode == Mode.PAN) {
      view.canvas().setCursor(Cursor.CLOSED_HAND);
      state.pan(lastX - e.getX());
    } else {
      double x0 = Math.max(view.timelineLayout().timelineLeft(), pressX);
      state.selectRange(Math.round(state.viewport().time(x0)),
          Math.round(state.viewport().time(Math.max(view.timelineLayout().timelineLeft(), e.getX()))));
    }
    lastX = e.getX();
  }

  private void released(MouseEvent e) {
    view.canvas().setCursor(Cursor.DEFAULT);
    ViewState state = view.state();
    if (state == null || mode == Mode.NONE || e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    if (!moved) {
      clickedAt(state, view.timelineLayout().hit(e.getX(), e.getY()), e.getX(), e.getY());
    }
    mode = Mode.NONE;
  }

  private void clickedAt(ViewState state, TimelineLayout.Hit hit, double x, double y) {
    switch (hit.area()) {
      case RULER:
        state.setCursor(Math.round(state.viewport().time(x)));
        break;
      case LABELS:
        if (hit.track() < 0 && hit.lane() >= 0
            && view.timelineLayout().collapsible(hit.lane())) {
          state.toggleCollapsed(hit.lane());
        }
        break;
      case PIN:
        state.togglePinned(hit.track());
        break;
      case LANE:
        if (hit.row() < 0) {
          PostRef post = postAt(x, hit.lane());
          if (post != null) {
            state.selectPost(post);
            break;
          }
        }
        state.select(sliceAt(x, y));
        break;
      default:
        state.select(null);
        break;
    }
  }

  /** The post whose tick is within three pixels of {@code x} on lane {@code lane}, or null. */
  PostRef postAt(double x, int lane) {
    ViewState state = view.state();
    Instants posts = state.model().lanes().get(lane).posts();
    double t = state.viewport().time(x);
    double tolerance = 3 * state.viewport().nsPerPixel();
    int best = -1;
    double bestDistance = Double.MAX_VALUE;
    int first = posts.firstAtOrAfter((long) Math.floor(t - tolerance));
    // Zoomed out, three pixels may hold thousands of posts: the first few are as good.
    for (int k = first; k < posts.size() && k < first + 64 && posts.time(k) <= t + tolerance;
        k++) {
      double d = Math.abs(posts.time(k) - t);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
      if (bestDistance == 0) {
        break;
      }
    }
    return best < 0 ? null : new PostRef(lane, best);
  }

  private void clicked(MouseEvent e) {
    ViewState state = view.state();
    if (state == null || e.getButton() != MouseButton.PRIMARY || e.getClickCount() != 2) {
      return;
    }
    SliceRef ref = sliceAt(e.getX(), e.getY());
    if (ref != null) {
      state.select(ref);
      state.zoomTo(ref);
    }
  }

  /** The slice under ({@code x}, {@code y}), allowing three pixels either side, or null. */
  SliceRef sliceAt(double x, double y) {
    ViewState state = view.state();
    TimelineLayout layout = view.timelineLayout();
    if (state == null || layout == null) {
      return null;
    }
    TimelineLayout.Hit hit = layout.hit(x, y);
    if (hit.area() != TimelineLayout.Area.LANE || hit.row() < 0) {
      return null;
    }
    Lane lane = state.model().lanes().get(hit.lane());
    double t = state.viewport().time(x);
    int i = lane.sliceNear(hit.row(), t, 3 * state.viewport().nsPerPixel());
    return i < 0 ? null : new SliceRef(hit.lane(), i);
  }
}
