package io.kallisto.visualizer.cli;

import io.kallisto.cli.FileArguments;
import io.kallisto.cli.UserError;
import io.kallisto.visualizer.VisualizerService;
import java.nio.file.Path;
import picocli.CommandLine;
import io.kallisto.visualizer.model.TimeFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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

  @Option(names = "--from", paramLabel = "TIME",
      description = {"Open only the part from TIME since the first event (12.5ms, 300us, 2s;",
        "a bare number is milliseconds): only the blocks that meet the range are read."})
  String from;

  @Option(names = "--to", paramLabel = "TIME",
      description = "Open only the part up to TIME since the first event.")
  String to;

  @Override
  public void run() {
    if (file != null) {
      // Cheap checks only (exists, a regular readable file): reading the trace is the window's.
      new FileArguments().input("FILE", file).check();
    }
    long fromNs = RenderCommand.parse("--from", from, 0);
    long toNs = RenderCommand.parse("--to", to, Long.MAX_VALUE);
    boolean part = from != null || to != null;
    if (part && file == null) {
      throw new UserError("--from/--to need a FILE to open a part of");
    }
    if (toNs <= fromNs) {
      throw new UserError("--from=" + TimeFormat.duration(fromNs) + " --to="
          + TimeFormat.duration(toNs) + ": the range is empty; --to must be after --from");
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
    io.kallisto.visualizer.ui.VisualizerMain.main(file == null ? new String[0] : part
        ? new String[] {"--from-ns=" + fromNs, "--to-ns=" + toNs, file.toString()}
        : new String[] {file.toString()});
  }
}
