package io.kallisto.visualizer.cli;

import io.kallisto.cli.FileArguments;
import io.kallisto.cli.UserError;
import io.kallisto.visualizer.VisualizerService;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kallisto view [FILE]}: the visualizer window. The window opens at once and loads the
 * trace on a background thread, showing its progress, so that a large trace never leaves the
 * user looking at nothing; a trace the window cannot read is reported in a dialog there.
 */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "Open a trace in the visualizer window.",
      "Per-thread timelines, replay, flows from post() to callback, counters, range",
      "statistics. Without FILE, opens an empty window.",
      "Needs a display; without one, use 'kallisto render FILE -o out.png'."
    })
public final class ViewCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The .ktrace file.")
  Path file;

  @Override
  public void run() {
    if (file != null) {
      // Cheap checks only (exists, a regular readable file): reading the trace is the window's.
      new FileArguments().input("FILE", file).check();
    }
    if (!VisualizerService.displayAvailable()) {
      if (file != null) {
        // No window to say what is wrong with the file: say it here, before the display.
        TraceLoading.check(file, spec.commandLine().getErr());
      }
      throw new UserError("cannot open a window: no display (DISPLAY is not set, or the JVM is"
          + " headless); for an image use 'kallisto render " + (file == null ? "FILE" : file)
          + " -o timeline.png'");
    }
    io.kallisto.visualizer.ui.VisualizerMain.main(
        file == null ? new String[0] : new String[] {file.toString()});
  }
}
