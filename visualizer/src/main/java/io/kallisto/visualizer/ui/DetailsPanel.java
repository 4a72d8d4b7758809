package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.CursorState;
import io.kallisto.visualizer.model.RangeStats;
import io.kallisto.visualizer.model.SliceCategory;
import io.kallisto.visualizer.model.SliceDetails;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.ViewState;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The side panel: details of the selected slice, statistics of the selected range per thread,
 * and each thread's state at the replay cursor. Value labels have ids ({@code sel-kind},
 * {@code range-1-busy}, {@code cursor-1-state}, ...) so that tests and screen readers find them.
 * Range statistics are computed off the FX thread: a whole-trace range of ten million events
 * takes a moment. FX thread only, except where said.
 */
final class DetailsPanel extends ScrollPane {
  private final GridPane selection = grid();
  private final GridPane range = grid();
  private final GridPane cursor = grid();
  private final Label rangeTitle = new Label("Drag on the ruler (or Shift-drag) to select a range.");
  private final Label cursorTitle = new Label("Press play, or click the ruler.");
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kallisto-range-stats");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong rangeGeneration = new AtomicLong();
  private ViewState state;
  private Object shownSelection;
  private long shownRangeFrom = Long.MIN_VALUE;
  private long shownRangeTo = Long.MIN_VALUE;
  private long shownCursor = Long.MIN_VALUE;
  private RangeStats lastRange;

  DetailsPanel() {
    setId("details");
    setFitToWidth(true);
    rangeTitle.setWrapText(true);
    rangeTitle.setId("rangeTitle");
    cursorTitle.setId("cursorTitle");
    cursorTitle.setWrapText(true);
    VBox box = new VBox(6,
        section("Selection", selection),
        section("Range", new VBox(4, rangeTitle, range)),
        section("At cursor", new VBox(4, cursorTitle, cursor)));
    box.setPadding(new Insets(6));
    setContent(box);
    selection.add(muted("Click a slice to see its details."), 0, 0, 2, 1);
  }

  private static GridPane grid() {
    GridPane g = new GridPane();
    g.setHgap(10);
    g.setVgap(3);
    return g;
  }

  private static TitledPane section(String title, javafx.scene.Node content) {
    TitledPane p = new TitledPane(title, content);
    p.setCollapsible(true);
    return p;
  }

  private static Label muted(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("muted");
    l.setWrapText(true);
    l.setMinWidth(text.length() < 16 ? javafx.scene.layout.Region.USE_PREF_SIZE : 0);
    return l;
  }

  private static Label value(String id, String text) {
    Label l = new Label(text);
    l.setId(id);
    l.setWrapText(true);
    return l;
  }

  private static Label head(String text) {
    Label l = new Label(text);
    l.setStyle("-fx-font-weight: bold;");
    l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // names are never cut short
    return l;
  }

  /** The slug used in ids: lower case, spaces as dashes. */
  static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  void setState(ViewState s) {
    state = s;
    shownSelection = null;
    shownRangeFrom = Long.MIN_VALUE;
    shownRangeTo = Long.MIN_VALUE;
    shownCursor = Long.MIN_VALUE;
    lastRange = null;
    selection.getChildren().clear();
    selection.add(muted("Click a slice to see its details."), 0, 0, 2, 1);
    range.getChildren().clear();
    cursor.getChildren().clear();
    refresh();
  }

  /** The statistics shown for the current range, or {@code null}. */
  RangeStats rangeStats() {
    return lastRange;
  }

  /** Brings every section up to date with the state; cheap when nothing changed. */
  void refresh() {
    if (state == null) {
      return;
    }
    if (state.selection() != shownSelection) {
      shownSelection = state.selection();
      showSelection();
    }
    if (state.rangeFrom() != shownRangeFrom || state.rangeTo() != shownRangeTo) {
      shownRangeFrom = state.rangeFrom();
      shownRangeTo = state.rangeTo();
      requestRange();
    }
    if (state.cursorVisible() && state.cursor() != shownCursor) {
      shownCursor = state.cursor();
      showCursor();
    }
  }

  private void showSelection() {
    selection.getChildren().clear();
    if (state.selection() == null) {
      selection.add(muted("Click a slice to see its details."), 0, 0, 2, 1);
      return;
    }
    List<SliceDetails.Entry> entries = SliceDetails.of(state.model(), state.selection());
    int row = 0;
    for (SliceDetails.Entry e : entries) {
      selection.add(head(e.name()), 0, row);
      selection.add(value("sel-" + slug(e.name()), e.value()), 1, row++);
    }
  }

  private void requestRange() {
    long generation = rangeGeneration.incrementAndGet();
    range.getChildren().clear();
    lastRange = null;
    if (!state.hasRange()) {
      rangeTitle.setText("Drag on the ruler (or Shift-drag) to select a range.");
      return;
    }
    ViewState s = state;
    long from = s.rangeFrom();
    long to = s.rangeTo();
    rangeTitle.setText("Computing " + TimeFormat.duration(to - from) + " ...");
    worker.execute(() -> {
      if (rangeGeneration.get() != generation) {
        return; // a newer range replaced this one while it waited
      }
      RangeStats stats = RangeStats.of(s.model(), from, to);
      Platform.runLater(() -> {
        if (rangeGeneration.get() == generation && s == state) {
          showRange(stats);
        }
      });
    });
  }

  private void showRange(RangeStats stats) {
    lastRange = stats;
    long origin = state.model().firstTime();
    rangeTitle.setText(TimeFormat.duration(stats.to() - stats.from()) + " from "
        + TimeFormat.precise(stats.from() - origin) + ". Busy: work / (poll + work). Callbacks"
        + " that started in the range, and p50 / p99 of their durations.");
    range.getChildren().clear();
    int row = 0;
    for (RangeStats.LaneStats l : stats.lanes()) {
      String id = "range-" + l.lane() + "-";
      Label name = head(l.name());
      name.setPadding(new Insets(row == 0 ? 0 : 6, 0, 0, 0));
      range.add(name, 0, row++, 2, 1);
      range.add(muted("busy %"), 0, row);
      range.add(value(id + "busy", Double.isNaN(l.busyPercent()) ? "-"
          : String.format(Locale.ROOT, "%.1f", l.busyPercent())), 1, row++);
      range.add(muted("callbacks"), 0, row);
      range.add(new HBox(4,
          muted("post"), value(id + "post", count(l, SliceCategory.POST_CALLBACK)),
          muted(" timer"), value(id + "timer", count(l, SliceCategory.TIMER_CALLBACK)),
          muted(" file"), value(id + "file", count(l, SliceCategory.FILE_CALLBACK)),
          muted(" slot"), value(id + "slot", count(l, SliceCategory.SLOT_CALLBACK))), 1, row++);
      range.add(muted("p50 / p99"), 0, row);
      range.add(new HBox(4, value(id + "p50", l.p50() < 0 ? "-" : TimeFormat.duration(l.p50())),
          muted("/"), value(id + "p99", l.p99() < 0 ? "-" : TimeFormat.duration(l.p99()))),
          1, row++);
    }
  }

  private static String count(RangeStats.LaneStats l, SliceCategory c) {
    return Long.toString(l.callbacks(c));
  }

  private void showCursor() {
    long origin = state.model().firstTime();
    cursorTitle.setText("At " + TimeFormat.precise(state.cursor() - origin));
    List<CursorState.LaneState> lanes = CursorState.at(state.model(), state.cursor());
    if (cursor.getChildren().isEmpty()) {
      int row = 0;
      for (CursorState.LaneState l : lanes) {
        String id = "cursor-" + l.lane() + "-";
        cursor.add(head(l.name()), 0, row);
        cursor.add(value(id + "state", ""), 1, row++);
        cursor.add(new HBox(4, muted("queue depth"), value(id + "queue", ""),
            muted("  connections"), value(id + "conns", "")), 1, row++);
      }
    }
    for (CursorState.LaneState l : lanes) {
      set("#cursor-" + l.lane() + "-state", l.state());
      set("#cursor-" + l.lane() + "-queue", l.queueDepth() < 0 ? "-" : Long.toString(l.queueDepth()));
      set("#cursor-" + l.lane() + "-conns", l.connections() < 0 ? "-"
          : Long.toString(l.connections()));
    }
  }

  private void set(String selector, String text) {
    Label l = (Label) cursor.lookup(selector);
    if (l != null) {
      l.setText(text);
    }
  }
}
