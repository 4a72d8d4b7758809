package io.kallisto.visualizer;

import io.kallisto.cli.TraceViewer;
import io.kallisto.trace.TraceFormatException;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.render.TimelineImage;
import io.kallisto.visualizer.model.ViewState;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The {@link TraceViewer} that {@code kallisto demo} finds through {@code ServiceLoader}: a
 * window where there is a display, a PNG where there is none. Loading this class loads nothing
 * from JavaFX; only {@link #openWindow} starts the toolkit.
 */
public final class VisualizerService implements TraceViewer {
  /** True when a display is available and the JVM is not headless. */
  public static boolean displayAvailable() {
    return !GraphicsEnvironment.isHeadless();
  }

  @Override
  public boolean canOpenWindow() {
    return displayAvailable();
  }

  @Override
  public void openWindow(Path trace) {
    if (!canOpenWindow()) {
      throw new IllegalStateException("no display to open a window on (DISPLAY is not set or"
          + " the JVM is headless); use writePng instead");
    }
    // The window opens at once and loads the trace itself, showing its progress.
    io.kallisto.visualizer.ui.VisualizerMain.main(new String[] {trace.toString()});
  }

  @Override
  public void writePng(Path trace, Path png, int width, int height) {
    TimelineImage.write(TimelineImage.render(load(trace), width, height), png);
  }

  @Override
  public void writePng(Path trace, Path png, int width, int height, long fromNanos,
      long toNanos) {
    writePng(trace, png, width, height, fromNanos, toNanos, false);
  }

  @Override
  public void writePng(Path trace, Path png, int width, int height, long fromNanos,
      long toNanos, boolean flows) {
    TraceModel model = load(trace);
    // The service and the view state both speak the trace's clock (as kallisto render does).
    ViewState state = new ViewState(model);
    state.show((double) fromNanos, (double) toNanos);
    state.setAllFlows(flows);
    TimelineImage.write(TimelineImage.png(TimelineImage.renderImage(state, width, height)), png);
  }

  /** Loads {@code trace}, reporting every failure as an {@link UncheckedIOException}. */
  static TraceModel load(Path trace) {
    try {
      return TraceModel.load(trace);
    } catch (TraceFormatException e) {
      throw new UncheckedIOException(e.getMessage(), new IOException(e.getMessage(), e));
    }
  }
}
