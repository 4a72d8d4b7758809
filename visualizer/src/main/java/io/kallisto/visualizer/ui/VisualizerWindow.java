package io.kallisto.visualizer.ui;

import io.kallisto.trace.TraceFile;
import io.kallisto.trace.TraceFormatException;
import io.kallisto.visualizer.model.BlockOverview;
import io.kallisto.visualizer.model.ReadWindow;
import io.kallisto.visualizer.model.RecentFiles;
import io.kallisto.visualizer.model.Search;
import io.kallisto.visualizer.model.SlowThreshold;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.render.TimelineImage;
import io.kallisto.visualizer.render.TimelineRenderer;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

/**
 * The visualizer window: menu and toolbar, the timeline, the details panel and the replay
 * scrubber, wired to one {@link ViewState}. Files open from the menu, the recent list, drag and
 * drop or {@link #open(Path)}; they load on a background thread, and a file that cannot be read
 * leaves the current trace on screen and says why in a dialog.
 *
 * <p>Keys: W/S zoom around the pointer, A/D pan, F fits the trace, Space plays or pauses,
 * Left/Right step to the previous or next event, Home/End move the cursor to the ends, L shows
 * arrows for every post in view, P toggles presentation mode, Esc clears the selection.
 * Ctrl+O opens, Ctrl+E exports the view as PNG, Ctrl+F goes to the search field (Enter: next
 * result, Shift+Enter: previous; F3 and Shift+F3 anywhere). FX thread only.
 */
public final class VisualizerWindow {
  /** The title without a file. */
  public static final String TITLE = "Kallisto";
  private static final String STYLE = "/io/kallisto/visualizer/ui/visualizer.css";
  /** Where the timeline ends and the side panel begins, as a share of the width. */
  private static final double PANEL_DIVIDER = 0.75;
  /** The system property that logs when the overview is first painted (benchmarks). */
  static final String PAINT_LOG = "kallisto.view.paintLog";

  private final Stage stage;
  private final RecentFiles recent;
  private final TimelineView timeline = new TimelineView();
  private final DetailsPanel details = new DetailsPanel();
  private final Replay replay = new Replay();
  private final PointerInput pointer;
  private final Label banner = new Label();
  private final HBox bannerBox;
  private final Label status = new Label("Open a .ktrace file: File > Open, drag it here, or"
      + " 'kallisto view FILE'.");
  private final Label cursorTime = new Label();
  private final Label searchCount = new Label();
  private final TextField search = new TextField();
  private final Slider scrubber = new Slider(0, 1, 0);
  private final Slider speed = new Slider(-2, 2, 0);
  private final Label speedLabel = new Label(speedText(1));
  private final Button play = new Button("▶");
  private final Button searchPrevious = new Button("▲");
  private final Button searchNext = new Button("▼");
  private final SplitPane center;
  private final ToggleButton allFlows = new ToggleButton("All flows");
  private final ToggleButton presentation = new ToggleButton("Presentation");
  private final ToggleButton slowRequests = new ToggleButton("Slow requests");
  private final SlowThresholdBox slowThreshold = new SlowThresholdBox(t -> {
    setSlowRequests(true); // choosing what is slow means wanting to see it
  });
  private final Menu recentMenu = new Menu("Open Recent");
  private final BorderPane root = new BorderPane();
  private final AnimationTimer frames;
  private ViewState state;
  private boolean syncingScrubber;
  private Alert lastError;
  private Consumer<Throwable> loadFailureHook = e -> { };
  private final LoadingIndicator loading = new LoadingIndicator();
  private volatile ModelSource modelSource = TraceModel::of;
  /** What the count beside the search field was last written for. */
  private Search shownSearch;
  private long shownSearchIndex = -2;

  /** Builds the window's scene on {@code stage} (not shown yet). */
  public VisualizerWindow(Stage stage, RecentFiles recent) {
    this.stage = stage;
    this.recent = recent;
    pointer = new PointerInput(timeline);
    bannerBox = buildBanner();
    VBox top = new VBox(buildMenu(), buildToolbar(), bannerBox);
    center = new SplitPane(timeline, details);
    center.setDividerPositions(PANEL_DIVIDER);
    SplitPane.setResizableWithParent(details, false);
    root.setTop(top);
    root.setCenter(center);
    root.setBottom(buildBottom());
    // As large as suits a trace, but never larger than the screen (a projector may be 1280x800).
    javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
    Scene scene = new Scene(root, Math.min(1400, screen.getWidth() * 0.95),
        Math.min(820, screen.getHeight() * 0.92));
    var css = VisualizerWindow.class.getResource(STYLE);
    if (css != null) {
      scene.getStylesheets().add(css.toExternalForm());
    }
    scene.addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
    scene.setOnDragOver(e -> {
      if (e.getDragboard().hasFiles()) {
        e.acceptTransferModes(TransferMode.COPY);
      }
      e.consume();
    });
    scene.setOnDragDropped(e -> {
      List<File> files = e.getDragboard().getFiles();
      boolean ok = files != null && !files.isEmpty();
      if (ok) {
        open(files.get(0).toPath());
      }
      e.setDropCompleted(ok);
      e.consume();
    });
    stage.setScene(scene);
    stage.setTitle(TITLE);
    frames = new AnimationTimer() {
      @Override
      public void handle(long now) {
        frame(now);
      }
    };
    frames.start();
    stage.setOnHidden(e -> frames.stop());
    replay.playingProperty().addListener((o, was, is) -> play.setText(is ? "❚❚" : "▶"));
    refreshRecent();
  }

  // ---- building ----------------------------------------------------------------------------------

  private MenuBar buildMenu() {
    MenuItem open = new MenuItem("Open…");
    open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
    open.setOnAction(e -> chooseAndOpen());
    MenuItem export = new MenuItem("Export View as PNG…");
    export.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
    export.setOnAction(e -> chooseAndExport());
    MenuItem quit = new MenuItem("Quit");
    quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
    quit.setOnAction(e -> stage.close());
    Menu file = new Menu("File", null, open, recentMenu, export, quit);

    MenuItem fit = new MenuItem("Fit Trace (F)");
    fit.setOnAction(e -> fit());
    MenuItem present = new MenuItem("Presentation Mode (P)");
    present.setOnAction(e -> setPresentation(!presentation.isSelected()));
    MenuItem flows = new MenuItem("Flows for All Posts in View (L)");
    flows.setOnAction(e -> setAllFlows(!allFlows.isSelected()));
    Menu view = new Menu("View", null, fit, flows, present);

    MenuItem keys = new MenuItem("Keys and Mouse");
    keys.setOnAction(e -> showKeys());
    Menu help = new Menu("Help", null, keys);
    MenuBar bar = new MenuBar(file, view, help);
    bar.setId("menu");
    return bar;
  }

  private ToolBar buildToolbar() {
    Button open = new Button("Open…");
    open.setOnAction(e -> chooseAndOpen());
    Button prev = new Button("|◀");
    prev.setId("stepPrevious");
    prev.setTooltip(new Tooltip("Previous event (Left)"));
    prev.setOnAction(e -> replay.stepPrevious());
    play.setId("play");
    play.setTooltip(new Tooltip("Play / pause (Space)"));
    play.setOnAction(e -> replay.toggle());
    Button next = new Button("▶|");
    next.setId("stepNext");
    next.setTooltip(new Tooltip("Next event (Right)"));
    next.setOnAction(e -> replay.stepNext());
    speed.setId("speed");
    speed.setPrefWidth(130);
    speed.setTooltip(new Tooltip("Replay speed, 0.01× to 100× of real time"));
    speed.valueProperty().addListener((o, old, v) -> {
      replay.setSpeed(Math.pow(10, v.doubleValue()));
      speedLabel.setText(speedText(replay.speed()));
    });
    speedLabel.setId("speedLabel");
    speedLabel.setMinWidth(48);
    search.setId("search");
    search.setPromptText("Search names, kinds, threads, counters, request ids");
    search.setPrefColumnCount(20);
    search.textProperty().addListener((o, old, v) -> {
      if (state != null) {
        state.search(v);
      }
    });
    search.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.F3) {
        step(!e.isShiftDown());
        e.consume();
      } else if (e.getCode() == KeyCode.ESCAPE) {
        timeline.canvas().requestFocus();
        e.consume();
      }
    });
    searchPrevious.setId("searchPrevious");
    searchPrevious.setTooltip(new Tooltip("Previous result (Shift+Enter, Shift+F3)"));
    searchPrevious.setOnAction(e -> step(false));
    searchNext.setId("searchNext");
    searchNext.setTooltip(new Tooltip("Next result (Enter, F3)"));
    searchNext.setOnAction(e -> step(true));
    searchCount.setId("searchCount");
    searchCount.setMinWidth(Region.USE_PREF_SIZE);
    allFlows.setId("allFlows");
    allFlows.setTooltip(new Tooltip("Arrows for every post in view (L)"));
    allFlows.setOnAction(e -> setAllFlows(allFlows.isSelected()));
    presentation.setId("presentation");
    presentation.setTooltip(new Tooltip("Large fonts for lecture halls (P)"));
    presentation.setOnAction(e -> setPresentation(presentation.isSelected()));
    slowRequests.setId("slowRequests");
    slowRequests.setTooltip(new Tooltip("Outline every request at or above the threshold at its"
        + " right (default p99), both sides (V)"));
    slowRequests.setOnAction(e -> setSlowRequests(slowRequests.isSelected()));
    Button fit = new Button("Fit");
    fit.setTooltip(new Tooltip("Show the whole trace (F)"));
    fit.setOnAction(e -> fit());
    ToolBar bar = new ToolBar(open, new Separator(), prev, play, next, new Label("speed"), speed,
        speedLabel, new Separator(), search, searchPrevious, searchNext, searchCount,
        new Separator(), fit, allFlows, slowRequests, slowThreshold.node(), presentation);
    bar.setId("toolbar");
    return bar;
  }

  private HBox buildBanner() {
    banner.setId("banner");
    banner.setWrapText(true);
    Button close = new Button("✕");
    close.setOnAction(e -> showBanner(null));
    HBox box = new HBox(8, banner, close);
    box.setId("bannerBox");
    box.setAlignment(Pos.CENTER_LEFT);
    box.setPadding(new Insets(4, 8, 4, 8));
    HBox.setHgrow(banner, Priority.ALWAYS);
    banner.setMaxWidth(Double.MAX_VALUE);
    box.setVisible(false);
    box.setManaged(false);
    return box;
  }

  private HBox buildBottom() {
    scrubber.setId("scrubber");
    scrubber.setTooltip(new Tooltip("Drag to move the replay cursor"));
    scrubber.valueProperty().addListener((o, old, v) -> {
      if (!syncingScrubber && state != null) {
        replay.pause();
        state.setCursor(state.model().firstTime() + Math.round(v.doubleValue()));
        state.follow();
      }
    });
    HBox.setHgrow(scrubber, Priority.ALWAYS);
    cursorTime.setId("cursorTime");
    cursorTime.setMinWidth(110);
    status.setId("status");
    Region gap = new Region();
    gap.setMinWidth(12);
    HBox box = new HBox(8, cursorTime, scrubber, gap, loading.node(), status);
    box.setAlignment(Pos.CENTER_LEFT);
    box.setPadding(new Insets(4, 8, 4, 8));
    status.setMaxWidth(520);
    return box;
  }

  // ---- files -------------------------------------------------------------------------------------

  /** Shows the window. */
  public void show() {
    stage.show();
    timeline.canvas().requestFocus();
  }

  /** The stage. */
  public Stage stage() {
    return stage;
  }

  /**
   * Opens {@code file} on a background thread. When it is loaded it replaces the current trace;
   * when it cannot be read a dialog says why, with the byte offset, and the current trace stays.
   */
  public void open(Path file) {
    open(file, null);
  }

  /**
   * Opens the part of {@code file} that {@code part} names (null: all of it), reading only the
   * blocks that meet it; otherwise as {@link #open(Path)}. A range that starts after the trace
   * ends is reported in the dialog.
   */
  public void open(Path file, ReadWindow part) {
    status.setText("Opening " + file + " …");
    loading.start(file);
    ModelSource source = modelSource;
    Thread loader = new Thread(() -> {
      long t0 = System.nanoTime();
      // Block headers only: each block is checked when the model's first pass reads it.
      try (TraceFile trace = TraceFile.open(file, TraceFile.Verify.ON_READ)) {
        showOverview(trace);
        TraceModel model;
        if (part == null) {
          loading.opened(2 * trace.eventCount());
          model = source.load(trace, loading::read);
        } else {
          long span = trace.lastTime() - trace.firstTime();
          if (part.from() >= span) {
            throw new IllegalArgumentException("--from=" + TimeFormat.duration(part.from())
                + " starts after the trace ends (it lasts " + TimeFormat.duration(span) + ")");
          }
          loading.opened(2 * eventsMeeting(trace, part));
          model = TraceModel.of(trace, loading::read, part);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Platform.runLater(() -> {
          loading.finish();
          show(model);
          status.setText(status.getText() + String.format(Locale.ROOT, ", opened in %.2f s",
              seconds));
        });
      } catch (TraceFormatException | UncheckedIOException e) {
        Platform.runLater(() -> failed(file, e));
      } catch (RuntimeException | OutOfMemoryError e) {
        Platform.runLater(() -> failed(file, e));
      }
    }, "kallisto-trace-loader");
    loader.setDaemon(true);
    loader.start();
  }

  /**
   * Draws the whole trace from its block headers while the model loads: built here, on the
   * loader thread, in the time the headers take to walk, and shown in the timeline until
   * {@link #show(TraceModel)} or a failure takes it away. With {@value #PAINT_LOG} set, the
   * wall-clock time of its first frame goes to stderr, for the first-open benchmark.
   */
  private void showOverview(TraceFile trace) {
    long t0 = System.nanoTime();
    BlockOverview overview = BlockOverview.of(trace);
    long built = System.nanoTime() - t0;
    Runnable painted = Boolean.getBoolean(PAINT_LOG) ? () -> System.err.printf(Locale.ROOT,
        "kallisto: overview painted at %d ms since the epoch, JVM up %d ms; built in %.1f ms,"
        + " painted %.1f ms after it was built%n", System.currentTimeMillis(),
        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), built / 1e6,
        (System.nanoTime() - t0 - built) / 1e6) : null;
    Platform.runLater(() -> timeline.showOverview(overview, loading::share, painted));
  }

  /** The events in the blocks that meet {@code part}: what a windowed load reads. */
  private static long eventsMeeting(TraceFile trace, ReadWindow part) {
    long from = part.absoluteFrom(trace.firstTime());
    long to = part.absoluteTo(trace.firstTime());
    long n = 0;
    for (TraceFile.BlockInfo b : trace.blocks()) {
      if (b.last() >= from && b.first() <= to) {
        n += b.count();
      }
    }
    return n;
  }

  /** Builds models with {@code source} from now on (tests). */
  void loadWith(ModelSource source) {
    modelSource = source;
  }

  /** The progress of the load in progress, shown in the status bar (tests). */
  LoadingIndicator loading() {
    return loading;
  }

  /** Shows an already loaded trace. */
  public void show(TraceModel model) {
    replay.pause();
    state = new ViewState(model);
    state.setPresentation(presentation.isSelected());
    state.setAllFlows(allFlows.isSelected());
    setSlowRequests(slowRequests.isSelected());
    if (!search.getText().isBlank()) {
      state.search(search.getText());
    }
    timeline.setState(state);
    details.setState(state);
    replay.setState(state);
    syncingScrubber = true;
    scrubber.setMin(0);
    scrubber.setMax(Math.max(1, model.lastTime() - model.firstTime()));
    scrubber.setValue(0);
    syncingScrubber = false;
    stage.setTitle(TITLE + " — " + model.displayName()
        + (model.damage() != null ? " (damaged)" : "")
        + (model.interrupted() ? " (interrupted)" : ""));
    String problem = TimelineRenderer.bannerText(model);
    String part = model.windowNote();
    showBanner(part == null ? problem : problem == null ? part : part + " " + problem);
    if (model.path() != null) {
      recent.add(model.path());
      refreshRecent();
    }
    status.setText(String.format(Locale.ROOT, "%,d events, %d threads, %s", model.eventCount(),
        model.lanes().size(), io.kallisto.visualizer.model.TimeFormat.duration(
            model.lastTime() - model.firstTime())));
    timeline.canvas().requestFocus();
  }

  private void failed(Path file, Throwable e) {
    loading.finish();
    timeline.clearOverview();
    loadFailureHook.accept(e);
    String why = e instanceof OutOfMemoryError ? "not enough memory to open it (" + e.getMessage()
        + "); give the JVM more with -Xmx" : e.getMessage();
    status.setText("Could not open " + file.getFileName());
    Alert alert = new Alert(Alert.AlertType.ERROR);
    alert.initOwner(stage);
    alert.setTitle(TITLE + ": cannot open trace");
    alert.setHeaderText("Cannot open " + file.getFileName());
    alert.setContentText(why);
    alert.getDialogPane().setId("openError");
    alert.getDialogPane().setMinWidth(520);
    lastError = alert;
    alert.show(); // not showAndWait: the window stays usable behind it
  }

  /** The last error dialog shown, or {@code null}. */
  Alert lastError() {
    return lastError;
  }

  /** Hears every load failure (tests). */
  void onLoadFailure(Consumer<Throwable> hook) {
    loadFailureHook = hook;
  }

  private void showBanner(String text) {
    banner.setText(text == null ? "" : text);
    bannerBox.setVisible(text != null);
    bannerBox.setManaged(text != null);
  }

  private void chooseAndOpen() {
    FileChooser chooser = new FileChooser();
    chooser.setTitle("Open a Kallisto trace");
    chooser.getExtensionFilters().addAll(
        new FileChooser.ExtensionFilter("Kallisto traces (*.ktrace)", "*.ktrace"),
        new FileChooser.ExtensionFilter("All files", "*"));
    File f = chooser.showOpenDialog(stage);
    if (f != null) {
      open(f.toPath());
    }
  }

  private void refreshRecent() {
    recentMenu.getItems().clear();
    for (Path p : recent.list()) {
      MenuItem item = new MenuItem(p.toString());
      item.setOnAction(e -> open(p));
      recentMenu.getItems().add(item);
    }
    recentMenu.setDisable(recentMenu.getItems().isEmpty());
  }

  private void chooseAndExport() {
    if (state == null) {
      return;
    }
    FileChooser chooser = new FileChooser();
    chooser.setTitle("Export the view as PNG");
    chooser.setInitialFileName(state.model().fileName().replaceAll("\\.ktrace$", "") + ".png");
    File f = chooser.showSaveDialog(stage);
    if (f != null) {
      exportPng(f.toPath());
    }
  }

  /** Writes the current view, as the timeline shows it now, to {@code png}. */
  public void exportPng(Path png) {
    int w = (int) Math.max(50, timeline.canvas().getWidth());
    int h = (int) Math.max(50, timeline.canvas().getHeight());
    try {
      TimelineImage.write(TimelineImage.png(TimelineImage.renderImage(state, w, h)), png);
      status.setText("Exported " + png);
    } catch (UncheckedIOException e) {
      status.setText(e.getMessage());
    }
  }

  // ---- view actions --------------------------------------------------------------------------

  private void fit() {
    if (state != null) {
      state.fit();
    }
  }

  /**
   * Outlines the requests at or above the chosen threshold (both sides), or none: the trace's
   * p99 unless another percentile or a duration was chosen.
   */
  private void setSlowRequests(boolean on) {
    slowRequests.setSelected(on);
    if (state != null) {
      SlowThreshold t = slowThreshold.current();
      long nanos = t.nanos(state.model().requests());
      state.highlightSlow(on ? nanos : -1);
      slowRequests.setText(on && nanos >= 0 ? "Slow requests ≥ " + TimeFormat.duration(nanos)
          + (t.isPercentile() ? " (" + t + ")" : "") : "Slow requests");
    }
  }

  /** The threshold box (tests). */
  SlowThresholdBox slowThreshold() {
    return slowThreshold;
  }

  private void setAllFlows(boolean on) {
    allFlows.setSelected(on);
    if (state != null) {
      state.setAllFlows(on);
    }
  }

  /**
   * Presentation mode: the timeline's sizes grow by {@link ViewState#PRESENTATION_SCALE}, and so
   * do the fonts of every control, the side panel's included, and the side panel's share of
   * the width, so that its larger figures still fit on their lines.
   */
  private void setPresentation(boolean on) {
    presentation.setSelected(on);
    double scale = on ? ViewState.PRESENTATION_SCALE : 1;
    root.setStyle(on ? String.format(Locale.ROOT, "-fx-font-size: %.1fpx;",
        javafx.scene.text.Font.getDefault().getSize() * scale) : "");
    center.setDividerPositions(Math.max(0.4, 1 - (1 - PANEL_DIVIDER) * scale));
    if (state != null) {
      state.setPresentation(on);
    }
  }

  /** Goes to the next (or previous) search result. */
  private void step(boolean forward) {
    if (state == null) {
      return;
    }
    if (forward) {
      state.searchNext();
    } else {
      state.searchPrevious();
    }
  }

  /** The count beside the search field, formatted only when the search or its result moved. */
  private void updateSearchCount() {
    Search s = state == null ? null : state.search();
    long index = state == null ? -1 : state.searchIndex();
    if (s != shownSearch || index != shownSearchIndex) {
      shownSearch = s;
      shownSearchIndex = index;
      searchCount.setText(countText(s, index));
    }
  }

  /** "n of m" when on a result, "m results" before the first jump. */
  static String countText(Search s, long index) {
    if (s == null) {
      return "";
    }
    if (s.total() == 0) {
      return "no results";
    }
    if (index < 0) {
      return String.format(Locale.ROOT, "%,d results", s.total());
    }
    return String.format(Locale.ROOT, "%,d of %,d", index + 1, s.total());
  }

  private void showKeys() {
    Alert a = new Alert(Alert.AlertType.INFORMATION);
    a.initOwner(stage);
    a.setTitle(TITLE + ": keys and mouse");
    a.setHeaderText("Keys and mouse");
    a.setContentText(String.join("\n",
        "Mouse wheel / W S: zoom around the pointer (Shift+wheel scrolls the lanes)",
        "Drag / A D: pan",
        "Click: select a slice; double-click: zoom to it",
        "Drag on the ruler, or Shift+drag: select a range (statistics per thread)",
        "Click on the ruler: move the replay cursor",
        "F: fit the whole trace;  Esc: clear the selection and range",
        "Space: play / pause;  Left / Right: previous / next event;  Home / End",
        "L: arrows for every post in view;  P: presentation mode",
        "V: outline the requests slower than p99 (the victims), on both sides",
        "Ctrl+F: search slices, request kinds and ids, threads and counters",
        "    Enter / F3: next result;  Shift+Enter / Shift+F3: previous",
        "Click a thread's name: collapse or expand it;  its track's pin: keep it on top",
        "Ctrl+O: open;  Ctrl+E: export the view as PNG"));
    a.show();
  }

  private void keyPressed(KeyEvent e) {
    if (stage.getScene().getFocusOwner() instanceof TextInputControl) {
      return; // typing in the search field
    }
    if (e.isShortcutDown() && e.getCode() == KeyCode.F) {
      search.requestFocus();
      search.selectAll();
      e.consume();
      return;
    }
    if (state == null || e.isShortcutDown() || e.isAltDown()) {
      return;
    }
    if (e.getCode() == KeyCode.F3) {
      step(!e.isShiftDown());
      e.consume();
      return;
    }
    double width = timeline.timelineLayout() == null ? 1000 : timeline.timelineLayout().timelineWidth();
    switch (e.getCode()) {
      case W:
        state.zoom(1.25, pointer.anchorX());
        break;
      case S:
        state.zoom(1 / 1.25, pointer.anchorX());
        break;
      case A:
        state.pan(-width / 8);
        break;
      case D:
        state.pan(width / 8);
        break;
      case F:
        state.fit();
        break;
      case SPACE:
        replay.toggle();
        break;
      case RIGHT:
      case PERIOD:
        replay.stepNext();
        break;
      case LEFT:
      case COMMA:
        replay.stepPrevious();
        break;
      case HOME:
        state.setCursor(state.model().firstTime());
        state.follow();
        break;
      case END:
        state.setCursor(state.model().lastTime());
        state.follow();
        break;
      case L:
        setAllFlows(!allFlows.isSelected());
        break;
      case V:
        setSlowRequests(!slowRequests.isSelected());
        break;
      case P:
        setPresentation(!presentation.isSelected());
        break;
      case ESCAPE:
        state.select(null);
        state.clearRange();
        break;
      default:
        return;
    }
    e.consume();
  }

  // ---- frames ----------------------------------------------------------------------------------

  private void frame(long now) {
    replay.pulse(now);
    timeline.redrawIfDirty();
    updateSearchCount();
    if (state != null) {
      details.refresh();
      if (state.cursorVisible()) {
        syncingScrubber = true;
        scrubber.setValue(state.cursor() - state.model().firstTime());
        syncingScrubber = false;
        cursorTime.setText(io.kallisto.visualizer.model.TimeFormat.precise(
            state.cursor() - state.model().firstTime()));
      }
    }
  }

  static String speedText(double speed) {
    return speed >= 10 ? String.format(Locale.ROOT, "%.0f×", speed)
        : speed >= 1 ? String.format(Locale.ROOT, "%.1f×", speed)
        : String.format(Locale.ROOT, "%.2f×", speed);
  }

  // ---- for tests -------------------------------------------------------------------------------

  /** The view state of the trace on screen, or {@code null}. */
  public ViewState state() {
    return state;
  }

  TimelineView timeline() {
    return timeline;
  }

  DetailsPanel details() {
    return details;
  }

  SplitPane splitPane() {
    return center;
  }

  Replay replay() {
    return replay;
  }

  PointerInput pointer() {
    return pointer;
  }
}
