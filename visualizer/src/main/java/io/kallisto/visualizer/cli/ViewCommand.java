package io.kallisto.visualizer.cli;

import io.kallisto.cli.UserError;
import io.kallisto.visualizer.VisualizerService;
import io.kallisto.visualizer.model.TraceModel;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kallisto view [FILE]}: the visualizer window. */
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
    TraceModel model = file == null ? null
        : TraceLoading.load(file, spec.commandLine().getErr());
    if (!VisualizerService.displayAvailable()) {
      throw new UserError("cannot open a window: no display (DISPLAY is not set, or the JVM is"
          + " headless); for an image use 'kallisto render " + (file == null ? "FILE" : file)
          + " -o timeline.png'");
    }
    if (model == null) {
      io.kallisto.visualizer.ui.VisualizerMain.main(new String[0]);
    } else {
      io.kallisto.visualizer.ui.VisualizerMain.openAndWait(model);
    }
  }
}
