package io.kallisto.visualizer.cli;

import io.kallisto.cli.FileArguments;
import io.kallisto.cli.UserError;
import io.kallisto.visualizer.model.ReadWindow;
import io.kallisto.visualizer.model.TimeFormat;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import io.kallisto.visualizer.render.TimelineImage;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kallisto render FILE --from T --to T -o out.png}: the timeline as an image. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Render a trace's timeline to a PNG, without a window.",
      "No display needed; JavaFX is not started. Times are since the trace's first event:",
      "12.5ms, 300us, 2s, 800ns (a bare number is milliseconds)."
    })
public final class RenderCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .ktrace file.")
  Path file;

  @Option(names = "--from", paramLabel = "TIME",
      description = "Start of the range (default: the trace's start).")
  String from;

  @Option(names = "--to", paramLabel = "TIME",
      description = "End of the range (default: the trace's end).")
  String to;

  @Option(names = {"-o", "--output"}, paramLabel = "PNG",
      description = "The image to write (default: FILE with .png instead of .ktrace).")
  Path output;

  @Option(names = "--flows",
      description = "Draw an arrow from every post in view to its callback.")
  boolean flows;

  @Option(names = "--width", description = "Width in pixels (default: ${DEFAULT-VALUE}).")
  int width = 1600;

  @Option(names = "--height", description = "Height in pixels (default: ${DEFAULT-VALUE}).")
  int height = 900;

  @Override
  public void run() {
    if (width < 50 || height < 50 || width > 16_384 || height > 16_384) {
      throw new UserError("--width=" + width + " --height=" + height
          + ": each must be from 50 to 16384 pixels");
    }
    long fromNs = parse("--from", from, 0);
    Path out = output != null ? output : defaultOutput(file);
    new FileArguments().input("FILE", file)
        .output(output != null ? "-o" : "the default output", out).check();
    PrintWriter err = spec.commandLine().getErr();
    long[] toNs = new long[1];
    // With --from or --to, only the blocks that meet the range are read.
    TraceModel model = TraceLoading.load(file, err, length -> {
      long span = Math.max(1, length);
      toNs[0] = parse("--to", to, span);
      if (toNs[0] <= fromNs) {
        throw new UserError("--from=" + TimeFormat.duration(fromNs) + " --to="
            + TimeFormat.duration(toNs[0]) + ": the range is empty; --to must be after --from"
            + " (the trace lasts " + TimeFormat.duration(span) + ")");
      }
      return from == null && to == null ? null : new ReadWindow(fromNs, toNs[0]);
    });
    long span = Math.max(1, model.lastTime() - model.firstTime());
    try {
      ViewState state = new ViewState(model);
      state.show(model.firstTime() + (double) fromNs, model.firstTime() + (double) toNs[0]);
      state.setAllFlows(flows);
      TimelineImage.write(TimelineImage.png(TimelineImage.renderImage(state, width, height)), out);
    } catch (UncheckedIOException e) {
      throw new UserError(e.getMessage());
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("wrote " + out + " (" + width + "x" + height + ", " + window(fromNs, toNs[0])
        + " of " + TimeFormat.duration(span) + (model.window() == null ? ""
        : String.format(java.util.Locale.ROOT, "; read %,d of %,d blocks", model.blocksRead(),
        model.blockCount())) + ")");
    o.flush();
  }

  /**
   * "2.00 µs to 6.00 µs", or, when three digits cannot tell the ends apart (a 2 ms window ten
   * seconds in), both ends to a hundredth of the window and its length: "10.00000 s to 10.00200 s
   * (2.00 ms)".
   */
  static String window(long fromNs, long toNs) {
    long length = toNs - fromNs;
    double resolution = length / 100.0;
    // duration() keeps three significant digits: good to about a thousandth of the value.
    if (Math.max(Math.abs(fromNs), Math.abs(toNs)) / 1000.0 <= resolution) {
      return TimeFormat.duration(fromNs) + " to " + TimeFormat.duration(toNs);
    }
    long largest = Math.max(Math.abs(fromNs), Math.abs(toNs));
    double unit = largest >= 1e9 ? 1e9 : largest >= 1e6 ? 1e6 : largest >= 1e3 ? 1e3 : 1;
    String name = unit == 1e9 ? "s" : unit == 1e6 ? "ms" : unit == 1e3 ? "µs" : "ns";
    int decimals = (int) Math.max(0, Math.min(9, Math.ceil(-Math.log10(resolution / unit))));
    String f = "%." + decimals + "f " + name;
    return String.format(java.util.Locale.ROOT, f + " to " + f, fromNs / unit, toNs / unit)
        + " (" + TimeFormat.duration(length) + ")";
  }

  static long parse(String option, String text, long otherwise) {
    if (text == null) {
      return otherwise;
    }
    try {
      return TimeFormat.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(option + "=" + e.getMessage());
    }
  }

  static Path defaultOutput(Path file) {
    String name = file.getFileName().toString().replaceAll("\\.ktrace$", "") + ".png";
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(name) : parent.resolve(name);
  }
}
