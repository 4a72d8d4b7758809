package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.RecentFiles;
import io.kallisto.visualizer.model.ReadWindow;
import io.kallisto.visualizer.model.TraceModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The JavaFX application: one {@link VisualizerWindow}, opening the file named on the command
 * line or a trace handed over by {@link VisualizerMain#openAndWait(TraceModel)}. Started through
 * {@link VisualizerMain}: a class extending {@code Application} cannot be the main class of a
 * classpath launch.
 */
public final class VisualizerApp extends Application {
  /** A trace loaded before the toolkit started, shown at start; set by VisualizerMain. */
  static volatile TraceModel initialModel;

  @Override
  public void start(Stage stage) {
    VisualizerWindow window = new VisualizerWindow(stage, RecentFiles.standard());
    window.show();
    TraceModel model = initialModel;
    initialModel = null;
    List<String> args = getParameters().getUnnamed();
    if (model != null) {
      window.show(model);
    } else if (!args.isEmpty()) {
      // --from/--to, as 'kallisto view' passes them: nanoseconds since the first event.
      Map<String, String> named = getParameters().getNamed();
      ReadWindow part = named.containsKey("from-ns") ? new ReadWindow(
          Long.parseLong(named.get("from-ns")), Long.parseLong(named.get("to-ns"))) : null;
      window.open(Path.of(args.get(0)), part);
    }
  }
}
