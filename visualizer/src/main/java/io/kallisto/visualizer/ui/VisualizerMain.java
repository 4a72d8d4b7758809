package io.kallisto.visualizer.ui;

import io.kallisto.visualizer.model.TraceModel;
import javafx.application.Application;

/**
 * Starts the visualizer window: {@code java -cp ... io.kallisto.visualizer.ui.VisualizerMain
 * [FILE]}, or {@code kallisto view FILE}. A separate class from {@link VisualizerApp} because
 * the JavaFX launcher refuses an {@code Application} subclass as the classpath main class.
 */
public final class VisualizerMain {
  private VisualizerMain() {}

  /** Opens the window, with {@code args[0]} if given; returns when it is closed. */
  public static void main(String[] args) {
    Application.launch(VisualizerApp.class, args);
  }

  /**
   * Shows {@code model} in a window and returns when the user closes it. JavaFX starts once per
   * JVM, so this can be called once.
   */
  public static void openAndWait(TraceModel model) {
    VisualizerApp.initialModel = model;
    Application.launch(VisualizerApp.class);
  }
}
