package io.kallisto.visualizer.ui;

import io.kallisto.trace.TraceEnd;
import io.kallisto.visualizer.model.CursorState;
import io.kallisto.visualizer.model.Figures;
import io.kallisto.visualizer.model.RangeStats;
import io.kallisto.visualizer.model.Search;
import io.kallisto.visualizer.model.SliceCategory;
import io.kallisto.visualizer.model.SliceDetails;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.model.Victims;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The side panel: the search's results, details of the selected slice or post, statistics of
 * the selected range per thread, and each thread's state at the replay cursor.
 *
 * <p>Every figure has a line of its own, with thousands separators, and a figure is never
 * wrapped or cut: its label is never narrower than its text (the panel scrolls sideways
 * instead). Only prose wraps, at spaces. Value labels have ids ({@code sel-kind},
 * {@code range-1-busy}, {@code cursor-1-state}, ...) so that tests and screen readers find
 * them. A detail that names another event (who posted a callback) is a link that selects it.
 *
 * <p>Range statistics are computed off the FX thread: a whole-trace range of ten million events
 * takes a moment. FX thread only, except where said.
 */
final class DetailsPanel extends ScrollPane {
  private final SearchResults results = new SearchResults();
  private final TitledPane resultsPane;
  private final GridPane facts = grid();
  private final GridPane selection = grid();
  private final GridPane range = grid();
  private final GridPane cursor = grid();
  private final Label rangeTitle = prose("Drag on the ruler (or Shift-drag) to select a range.");
  private final Label cursorTitle = prose("Press play, or click the ruler.");
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kallisto-range-stats");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong rangeGeneration = new AtomicLong();
  private ViewState state;
  private Object shownSelection;
  private Object shownPost;
  private long shownRangeFrom = Long.MIN_VALUE;
  private long shownRangeTo = Long.MIN_VALUE;
  private long shownCursor = Long.MIN_VALUE;
  private RangeStats lastRange;
  /** The cursor section's value labels by id: counter names may hold any character. */
  private final java.util.Map<String, Label> cursorLabels = new java.util.HashMap<>();

  DetailsPanel() {
    setId("details");
    setFitToWidth(true);
    rangeTitle.setId("rangeTitle");
    cursorTitle.setId("cursorTitle");
    resultsPane = section("Search results", results);
    resultsPane.setId("resultsPane");
    showResultsPane(false);
    VBox box = new VBox(6,
        resultsPane,
        section("Trace", facts),
        section("Selection", selection),
        section("Range", new VBox(4, rangeTitle, range)),
        section("At cursor", new VBox(4, cursorTitle, cursor)));
    box.setPadding(new Insets(6));
    setContent(box);
    selection.add(prose("Click a slice to see its details."), 0, 0, 2, 1);
  }

  private static GridPane grid() {
    GridPane g = new GridPane();
    g.setHgap(10);
    g.setVgap(3);
    ColumnConstraints names = new ColumnConstraints();
    names.setMinWidth(Region.USE_PREF_SIZE); // names are never cut short
    ColumnConstraints values = new ColumnConstraints();
    values.setHgrow(Priority.ALWAYS);
    g.getColumnConstraints().addAll(names, values);
    return g;
  }

  private static TitledPane section(String title, Node content) {
    TitledPane p = new TitledPane(title, content);
    p.setCollapsible(true);
    return p;
  }

  /** Text that may wrap at spaces: titles and explanations. */
  private static Label prose(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("muted");
    l.setWrapText(true);
    l.setMinWidth(0);
    return l;
  }

  /** The name of a figure, in the first column. */
  private static Label name(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("muted");
    l.setMinWidth(Region.USE_PREF_SIZE);
    return l;
  }

  /**
   * A value. One with a digit in it is a figure: one line, never narrower than its text. One
   * without (a state, an explanation) is prose and may wrap at spaces.
   */
  static Label value(String id, String text) {
    Label l = new Label(text);
    l.setId(id);
    l.getStyleClass().add("value");
    setWraps(l, text);
    return l;
  }

  /** Prose with an id: wraps at spaces even when it holds a figure. */
  private static Label sentence(String id, String text) {
    Label l = prose(text);
    l.setId(id);
    l.getStyleClass().setAll("label", "value");
    return l;
  }

  private static void setWraps(Label l, String text) {
    boolean figure = text.chars().anyMatch(Character::isDigit);
    l.setWrapText(!figure);
    l.setMinWidth(figure ? Region.USE_PREF_SIZE : 0);
  }

  private static void setValue(Label l, String text) {
    l.setText(text);
    setWraps(l, text);
  }

  private static Label head(String text) {
    Label l = new Label(text);
    l.setStyle("-fx-font-weight: bold;");
    l.setMinWidth(Region.USE_PREF_SIZE);
    return l;
  }

  /** The slug used in ids: lower case, spaces as dashes. */
  static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replace(' ', '-').replace('/', '-');
  }

  void setState(ViewState s) {
    state = s;
    shownSelection = null;
    shownPost = null;
    shownRangeFrom = Long.MIN_VALUE;
    shownRangeTo = Long.MIN_VALUE;
    shownCursor = Long.MIN_VALUE;
    lastRange = null;
    results.setState(s);
    showFacts(s.model());
    selection.getChildren().clear();
    selection.add(prose("Click a slice to see its details."), 0, 0, 2, 1);
    range.getChildren().clear();
    cursor.getChildren().clear();
    cursorLabels.clear();
    refresh();
  }

  /** Whether the trace is whole: how its recording ended, and whether its header was checked. */
  private void showFacts(TraceModel model) {
    facts.getChildren().clear();
    TraceEnd end = model.end();
    String recording;
    if (end == null) {
      recording = model.headerChecked() ? "not closed: no end block (killed, or cut short)"
          : "not recorded (format version " + model.formatVersion() + ")";
    } else if (end.interrupted()) {
      recording = end.describe() + "; cut " + TimeFormat.precise(end.time() - model.firstTime())
          + " into the trace";
    } else {
      recording = "complete";
    }
    facts.add(head("recording"), 0, 0);
    // Sentences, not figures: they wrap, so a long one never widens the panel.
    facts.add(sentence("trace-recording", recording), 1, 0);
    facts.add(head("header"), 0, 1);
    facts.add(sentence("trace-header", model.headerCheck()), 1, 1);
  }

  /** The statistics shown for the current range, or {@code null}. */
  RangeStats rangeStats() {
    return lastRange;
  }

  /** The results list. */
  SearchResults results() {
    return results;
  }

  private void showResultsPane(boolean on) {
    resultsPane.setVisible(on);
    resultsPane.setManaged(on);
  }

  /** Brings every section up to date with the state; cheap when nothing changed. */
  void refresh() {
    if (state == null) {
      return;
    }
    Search search = state.search();
    results.refresh();
    showResultsPane(search != null);
    if (state.selection() != shownSelection || state.selectedPost() != shownPost) {
      shownSelection = state.selection();
      shownPost = state.selectedPost();
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
    List<SliceDetails.Entry> entries;
    if (state.selection() != null) {
      entries = SliceDetails.of(state.model(), state.selection());
    } else if (state.selectedPost() != null) {
      entries = SliceDetails.of(state.model(), state.selectedPost());
    } else {
      selection.add(prose("Click a slice, or a post's tick above a lane, to see its details."),
          0, 0, 2, 1);
      return;
    }
    int row = 0;
    for (SliceDetails.Entry e : entries) {
      selection.add(name(e.name()), 0, row);
      selection.add(e.isLink() ? link(e) : value("sel-" + slug(e.name()), e.value()), 1, row++);
    }
  }

  /** An entry that names another event: clicking it selects that event and shows it. */
  private Hyperlink link(SliceDetails.Entry e) {
    Hyperlink h = new Hyperlink(e.value());
    h.setId("sel-" + slug(e.name()));
    h.setMinWidth(Region.USE_PREF_SIZE);
    h.setPadding(Insets.EMPTY);
    h.setOnAction(a -> {
      if (e.post() != null) {
        state.selectAndRevealPost(e.post());
      } else {
        state.selectAndReveal(e.slice());
      }
    });
    return h;
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
      Victims victims = Victims.of(s.model(), from, to, Victims.SHOWN);
      Platform.runLater(() -> {
        if (rangeGeneration.get() == generation && s == state) {
          showRange(stats);
          VictimsList.show(range, victims, state);
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
      Label thread = head(l.name());
      thread.setPadding(new Insets(row == 0 ? 0 : 6, 0, 0, 0));
      range.add(thread, 0, row++, 2, 1);
      row = figure(range, row, "busy %", id + "busy", Double.isNaN(l.busyPercent()) ? "-"
          : String.format(Locale.ROOT, "%.1f", l.busyPercent()));
      row = figure(range, row, "post callbacks", id + "post",
          Figures.count(l.callbacks(SliceCategory.POST_CALLBACK)));
      row = figure(range, row, "timer callbacks", id + "timer",
          Figures.count(l.callbacks(SliceCategory.TIMER_CALLBACK)));
      row = figure(range, row, "file callbacks", id + "file",
          Figures.count(l.callbacks(SliceCategory.FILE_CALLBACK)));
      row = figure(range, row, "slot callbacks", id + "slot",
          Figures.count(l.callbacks(SliceCategory.SLOT_CALLBACK)));
      row = figure(range, row, "p50", id + "p50", l.p50() < 0 ? "-"
          : TimeFormat.duration(l.p50()));
      row = figure(range, row, "p99", id + "p99", l.p99() < 0 ? "-"
          : TimeFormat.duration(l.p99()));
    }
  }

  /** Adds a line "name value" to {@code grid} at {@code row}; returns the next row. */
  private static int figure(GridPane grid, int row, String name, String id, String value) {
    grid.add(name(name), 0, row);
    grid.add(value(id, value), 1, row);
    return row + 1;
  }

  private void showCursor() {
    long origin = state.model().firstTime();
    cursorTitle.setText("At " + TimeFormat.precise(state.cursor() - origin));
    List<CursorState.LaneState> lanes = CursorState.at(state.model(), state.cursor());
    if (cursor.getChildren().isEmpty()) {
      int row = 0;
      for (CursorState.LaneState l : lanes) {
        String id = "cursor-" + l.lane() + "-";
        Label thread = head(l.name());
        thread.setPadding(new Insets(row == 0 ? 0 : 6, 0, 0, 0));
        cursor.add(thread, 0, row++, 2, 1);
        row = cursorFigure(row, "state", id + "state");
        if (l.queue() != null) {
          row = reading(row, "queue depth", id + "queue");
        }
        if (l.conns() != null) {
          row = cursorFigure(row, "connections", id + "conns");
        }
        for (CursorState.Reading r : l.others()) {
          row = reading(row, r.name(), id + "counter-" + slug(r.name()));
        }
      }
    }
    for (CursorState.LaneState l : lanes) {
      String id = "cursor-" + l.lane() + "-";
      set(id + "state", l.state());
      if (l.queue() != null) {
        setReading(id + "queue", l.queue());
      }
      if (l.conns() != null) {
        set(id + "conns", l.conns().text());
      }
      for (CursorState.Reading r : l.others()) {
        setReading(id + "counter-" + slug(r.name()), r);
      }
    }
  }

  private int cursorFigure(int row, String label, String id) {
    Label v = value(id, "");
    cursorLabels.put(id, v);
    cursor.add(name(label), 0, row);
    cursor.add(v, 1, row);
    return row + 1;
  }

  /**
   * A counter's line: its value, never wrapped, then how old the sample is, which may wrap
   * onto the next line as a whole phrase.
   */
  private int reading(int row, String label, String id) {
    cursor.add(name(label), 0, row);
    Label note = prose("");
    note.setId(id + "-note");
    Label v = value(id, "");
    cursorLabels.put(id, v);
    cursorLabels.put(id + "-note", note);
    HBox line = new HBox(4, v, note);
    line.setAlignment(Pos.TOP_LEFT);
    HBox.setHgrow(note, Priority.ALWAYS);
    cursor.add(line, 1, row);
    return row + 1;
  }

  private void setReading(String id, CursorState.Reading r) {
    set(id, r.value() < 0 ? r.text() : Figures.count(r.value()));
    Label note = cursorLabels.get(id + "-note");
    if (note != null) {
      note.setText(r.note().strip());
    }
  }

  private void set(String id, String text) {
    Label l = cursorLabels.get(id);
    if (l != null) {
      setValue(l, text);
    }
  }
}
