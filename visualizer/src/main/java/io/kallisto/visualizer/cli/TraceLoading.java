package io.kallisto.visualizer.cli;

import io.kallisto.cli.UserError;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.TraceFormatException;
import io.kallisto.visualizer.model.ReadWindow;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.render.TimelineRenderer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Loading a trace for a command: unreadable is the user's mistake, damaged is a warning. */
final class TraceLoading {
  private TraceLoading() {}

  /**
   * Loads {@code file}, warning on {@code err} if it is damaged, was interrupted or never closed.
   *
   * @throws UserError if it is missing, unreadable or not a trace (the message names the file
   *     and, for a bad file, the byte offset)
   */
  static TraceModel load(Path file, PrintWriter err) {
    TraceModel model;
    try {
      model = TraceModel.load(file);
    } catch (TraceFormatException | UncheckedIOException e) {
      throw new UserError(e.getMessage());
    }
    warn(file, model, err);
    return model;
  }

  /**
   * Loads the part of {@code file} that {@code window} chooses, given the trace's length in ns
   * (null: all of it), reading only the blocks that meet it; warns as {@link #load} does.
   *
   * @throws UserError as {@link #load} does, or as {@code window} does for a bad range
   */
  static TraceModel load(Path file, PrintWriter err,
      java.util.function.LongFunction<ReadWindow> window) {
    TraceModel model;
    try (TraceFile trace = TraceFile.open(file, TraceFile.Verify.ON_READ)) {
      ReadWindow w = window.apply(trace.lastTime() - trace.firstTime());
      if (w == null) {
        trace.close();
        return load(file, err);
      }
      model = TraceModel.of(trace, null, w);
    } catch (TraceFormatException | UncheckedIOException e) {
      throw new UserError(e.getMessage());
    }
    warn(file, model, err);
    return model;
  }

  private static void warn(Path file, TraceModel model, PrintWriter err) {
    String note = TimelineRenderer.bannerText(model);
    if (note != null) {
      err.println("warning: " + file + ": " + note);
      err.flush();
    }
  }

  /**
   * Opens {@code file} as a trace and closes it, warning on {@code err} about each damaged range:
   * the header, the strings and the block index are read, not the events.
   *
   * @throws UserError as {@link #load} does
   */
  static void check(Path file, PrintWriter err) {
    try (TraceFile trace = TraceFile.open(file)) {
      for (TraceFile.Damage d : trace.damages()) {
        err.println("warning: " + file + ": " + d);
      }
      err.flush();
    } catch (TraceFormatException | UncheckedIOException e) {
      throw new UserError(e.getMessage());
    }
  }
}
