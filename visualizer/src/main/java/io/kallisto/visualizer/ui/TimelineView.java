package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.BlockOverview;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.render.OverviewRenderer;
import io.kallisto.visualizer.render.TimelineRenderer;
import java.util.function.DoubleSupplier;
import javafx.geometry.Orientation;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.Region;

/**
 * The timeline in the window: a canvas the {@link TimelineRenderer} draws on, and a vertical
 * scroll bar for traces with more lanes than fit. Changes only mark it dirty; the window's
 * frame loop calls {@link #redrawIfDirty()} once per pulse, so many changes cost one repaint.
 * While a trace loads it may show that trace's {@link BlockOverview} instead, redrawn when the
 * load's progress moves by a percent, until {@link #setState} puts the model in its place.
 * FX thread only.
 */
final class TimelineView extends Region {
  private final Canvas canvas = new Canvas(10, 10);
  private final ScrollBar scroll = new ScrollBar();
  private final FxCanvasSurface surface = new FxCanvasSurface(canvas);
  private final TimelineRenderer renderer = new TimelineRenderer();
  private final OverviewRenderer overviewRenderer = new OverviewRenderer();
  private BlockOverview overview;
  private DoubleSupplier overviewProgress;
  private long overviewPercent = Long.MIN_VALUE;
  private Runnable overviewPainted;
  private ViewState state;
  private TimelineLayout layout;
  private boolean dirty = true;
  private boolean syncingScroll;
  private long lastFrameNanos;

  TimelineView() {
    getStyleClass().add("timeline");
    setId("timeline");
    canvas.setId("timelineCanvas");
    canvas.setFocusTraversable(true);
    scroll.setOrientation(Orientation.VERTICAL);
    scroll.setVisible(false);
    scroll.valueProperty().addListener((o, old, v) -> {
      if (!syncingScroll && state != null) {
        state.scrollTo(v.doubleValue());
      }
    });
    getChildren().addAll(canvas, scroll);
    setMinSize(200, 120);
  }

  /** Shows {@code s} from now on. */
  void setState(ViewState s) {
    overview = null;
    state = s;
    s.addListener(this::markDirty);
    markDirty();
  }

  ViewState state() {
    return state;
  }

  /**
   * Shows {@code o} until the next {@link #setState} or {@link #clearOverview}, its caption
   * giving {@code progress} (0 to 1, negative if not known); {@code painted} runs after its
   * first frame.
   */
  void showOverview(BlockOverview o, DoubleSupplier progress, Runnable painted) {
    overview = o;
    overviewProgress = progress;
    overviewPainted = painted;
    markDirty();
  }

  /** Goes back to the trace on screen, if any (a load failed). */
  void clearOverview() {
    overview = null;
    markDirty();
  }

  /** The overview on screen, or {@code null} when the timeline shows a model or nothing. */
  BlockOverview overview() {
    return overview;
  }

  /** What the last overview frame drew (tests). */
  OverviewRenderer overviewRenderer() {
    return overviewRenderer;
  }

  Canvas canvas() {
    return canvas;
  }

  /** The layout of the last frame (what hit tests must use), or {@code null} before one. */
  TimelineLayout timelineLayout() {
    return layout;
  }

  /** How long the last repaint took. */
  long lastFrameNanos() {
    return lastFrameNanos;
  }

  /** What the last repaint drew. */
  TimelineRenderer.Stats stats() {
    return renderer.stats();
  }

  void markDirty() {
    dirty = true;
  }

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    double sw = scroll.isVisible() ? scroll.prefWidth(-1) : 0;
    canvas.setWidth(Math.max(10, Math.floor(w - sw)));
    canvas.setHeight(Math.max(10, Math.floor(h)));
    canvas.relocate(0, 0);
    scroll.resizeRelocate(w - sw, 0, sw, h);
    markDirty();
  }

  /** Repaints if anything changed since the last frame. */
  void redrawIfDirty() {
    if (overview != null) {
      redrawOverview();
      return;
    }
    if (!dirty) {
      return;
    }
    dirty = false;
    if (state == null) {
      canvas.getGraphicsContext2D().clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
      return;
    }
    long t0 = System.nanoTime();
    layout = state.layout(canvas.getWidth(), canvas.getHeight());
    boolean needScroll = layout.maxScroll() > 0;
    if (needScroll != scroll.isVisible()) {
      scroll.setVisible(needScroll);
      requestLayout(); // the canvas narrows or widens; that layout pass marks us dirty again
    }
    syncingScroll = true;
    scroll.setMax(layout.maxScroll());
    scroll.setVisibleAmount(layout.scrollHeight());
    scroll.setValue(layout.scrollY());
    syncingScroll = false;
    surface.begin();
    renderer.draw(state, layout, surface);
    lastFrameNanos = System.nanoTime() - t0;
  }

  private void redrawOverview() {
    double progress = overviewProgress.getAsDouble();
    long percent = progress < 0 ? -1 : Math.round(progress * 100);
    if (!dirty && percent == overviewPercent) {
      return;
    }
    dirty = false;
    overviewPercent = percent;
    if (scroll.isVisible()) {
      scroll.setVisible(false);
      requestLayout();
    }
    long t0 = System.nanoTime();
    surface.begin();
    overviewRenderer.draw(overview, progress, 1, surface);
    lastFrameNanos = System.nanoTime() - t0;
    if (overviewPainted != null) {
      Runnable painted = overviewPainted;
      overviewPainted = null;
      painted.run();
    }
  }
}
