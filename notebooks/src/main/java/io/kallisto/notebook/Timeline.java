package io.kallisto.notebook;

import io.kallisto.cli.TraceViewer;
import io.kallisto.trace.TraceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A trace's timeline as an inline picture: one row per thread, loop iterations, callbacks and
 * posts, as the visualizer draws it offscreen.
 *
 * <pre>{@code
 * Result r = Experiment.of("head-of-line-blocking").traced().run();
 * Timeline.show(r.trace(), Duration.ofMillis(1200), Duration.ofMillis(1300)); // 100 ms of it
 * }</pre>
 *
 * <p><b>Note:</b> the drawing is the visualizer's ({@link TraceViewer}, found with
 * {@link ServiceLoader}). Without the visualizer on the class path, {@code show} returns a
 * message saying so instead of a picture, and the rest of the notebook runs on.
 */
public final class Timeline {
  /** Width of a timeline picture in pixels. */
  public static final int WIDTH = 1200;
  /** Height of a timeline picture of up to five threads, in pixels; more threads get more. */
  public static final int HEIGHT = 420;

  private Timeline() {}

  /**
   * The part of {@code trace} from {@code from} to {@code to}, both measured from the trace's
   * first event.
   *
   * <pre>{@code Timeline.show(r.trace(), Duration.ZERO, Duration.ofSeconds(1));}</pre>
   *
   * @throws IllegalArgumentException if {@code to} is not after {@code from}
   * @throws UncheckedIOException if the trace cannot be read, naming the file
   */
  public static Rich show(Path trace, Duration from, Duration to) {
    return draw(trace, new Window(from, to, "from " + Numbers.millis(from.toNanos()) + " to "
        + Numbers.millis(to.toNanos())), false, false);
  }

  /**
   * The part of {@code trace} that {@code window} names, captioned with what it shows. Choose
   * the window with {@link Moments}, so that it holds the event whatever the run's timing.
   *
   * <pre>{@code Timeline.show(r.trace(), Moments.worstBlocker(r.trace()));}</pre>
   *
   * @throws UncheckedIOException if the trace cannot be read, naming the file
   */
  public static Rich show(Path trace, Window window) {
    return draw(trace, window, false, true);
  }

  /**
   * As {@link #show(Path, Window)}, with an arrow from every {@code post()} in the window to the
   * callback it caused (solid where the post had to wake the loop): for lessons about posts.
   *
   * <pre>{@code Timeline.showFlows(t, Moments.firstWakeup(t));}</pre>
   *
   * @throws UncheckedIOException if the trace cannot be read, naming the file
   */
  public static Rich showFlows(Path trace, Window window) {
    return draw(trace, window, true, true);
  }

  private static Rich draw(Path trace, Window window, boolean flows, boolean caption) {
    Duration from = window.from();
    Duration to = window.to();
    Optional<TraceViewer> viewer = viewer();
    if (viewer.isEmpty()) {
      return Notebook.markdown("*Timeline not drawn: the visualizer module is not on the class"
          + " path (no `io.kallisto.cli.TraceViewer` service). Open the trace with"
          + " `./kallisto trace export " + trace + " --format chrome` and"
          + " ui.perfetto.dev instead.*");
    }
    long first;
    int height;
    try (TraceFile t = TraceFile.open(trace)) {
      first = t.firstTime();
      height = height(t.threads().size());
    }
    try {
      Path png = Files.createTempFile("kallisto-timeline-", ".png");
      try {
        viewer.get().writePng(trace, png, WIDTH, height, first + from.toNanos(),
            first + to.toNanos(), flows);
        byte[] bytes = Files.readAllBytes(png);
        return new Chart("timeline of " + trace.getFileName() + ": " + window,
            caption ? Caption.above(bytes, window.toString()) : bytes);
      } finally {
        Files.deleteIfExists(png);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the timeline of " + trace, e);
    }
  }

  /**
   * The whole of {@code trace}.
   *
   * <pre>{@code Timeline.show(r.trace());}</pre>
   */
  public static Rich show(Path trace) {
    long span;
    try (TraceFile t = TraceFile.open(trace)) {
      span = Math.max(1, t.lastTime() - t.firstTime());
    }
    return show(trace, Duration.ZERO, Duration.ofNanos(span));
  }

  /**
   * The picture's height for {@code threads} lanes: {@value #HEIGHT} pixels up to four threads,
   * then more, so that no thread's row is cut off (up to 1,600 pixels).
   */
  static int height(int threads) {
    return Math.max(HEIGHT, Math.min(1600, 160 + 56 * threads));
  }

  /**
   * True when a visualizer is on the class path, so {@link #show} draws pictures.
   *
   * <pre>{@code if (!Timeline.available()) display(markdown("no pictures today"));}</pre>
   */
  public static boolean available() {
    return viewer().isPresent();
  }

  /** The context loader first: under a kernel, {@code %jars} adds jars there. */
  private static Optional<TraceViewer> viewer() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      Iterator<TraceViewer> it = ServiceLoader.load(TraceViewer.class, context).iterator();
      if (it.hasNext()) {
        return Optional.of(it.next());
      }
    }
    return TraceViewer.find();
  }
}
