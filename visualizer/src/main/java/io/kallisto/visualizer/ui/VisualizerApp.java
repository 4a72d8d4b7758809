package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.RecentFiles;
import io.kallisto.visualizer.model.TraceModel;
import java.nio.file.Path;
import java.util.List;
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
      window.open(Path.of(args.get(0)));
    }
  }
}
