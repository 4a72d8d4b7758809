package io.kallisto.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * How the engine shows a trace without depending on the visualizer: the visualizer module lists
 * an implementation in {@code META-INF/services/io.kallisto.cli.TraceViewer}, and commands such
 * as {@code kallisto demo} find it with {@link #find()}. When no module provides one, commands
 * print the {@code .ktrace} path instead.
 *
 * <p>Every method is called from the CLI's main thread.
 */
public interface TraceViewer {
  /** The first viewer on the classpath, if any module provides one. */
  static Optional<TraceViewer> find() {
    return ServiceLoader.load(TraceViewer.class).findFirst();
  }

  /**
   * True when a window can be opened here: a display is available and the JVM is not forced
   * headless. When false, callers use {@link #writePng} instead.
   */
  boolean canOpenWindow();

  /**
   * Opens {@code trace} in the visualizer window and returns when the user closes it.
   *
   * @throws IllegalStateException if {@link #canOpenWindow()} is false
   * @throws java.io.UncheckedIOException if the trace cannot be read, naming the file
   */
  void openWindow(Path trace);

  /**
   * Renders the whole of {@code trace} as a timeline image into {@code png}, {@code width} by
   * {@code height} pixels, without a display or the FX toolkit.
   *
   * @throws java.io.UncheckedIOException if the trace cannot be read or the image written,
   *     naming the file
   */
  void writePng(Path trace, Path png, int width, int height);

  /**
   * Renders the part of {@code trace} between {@code fromNanos} and {@code toNanos} (times on the
   * trace's clock, as {@link io.kallisto.trace.TraceFile#firstTime()} gives them) into
   * {@code png}. The default renders the whole trace: a viewer that can cut a range overrides it.
   *
   * @throws java.io.UncheckedIOException if the trace cannot be read or the image written,
   *     naming the file
   */
  default void writePng(Path trace, Path png, int width, int height, long fromNanos,
      long toNanos) {
    writePng(trace, png, width, height);
  }

  /**
   * As {@link #writePng(Path, Path, int, int, long, long)}, with an arrow from every
   * {@code post()} in the range to the callback it caused when {@code flows} is true. The
   * default ignores {@code flows}: a viewer that draws flows overrides it.
   *
   * @throws java.io.UncheckedIOException if the trace cannot be read or the image written,
   *     naming the file
   */
  default void writePng(Path trace, Path png, int width, int height, long fromNanos,
      long toNanos, boolean flows) {
    writePng(trace, png, width, height, fromNanos, toNanos);
  }
}
