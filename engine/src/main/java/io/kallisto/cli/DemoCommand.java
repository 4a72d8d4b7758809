package io.kallisto.cli;

import io.kallisto.run.RunSummary;
import io.kallisto.scenario.Durations;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenarios;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: the bundled {@code baseline-echo} scenario for a few seconds with tracing on,
 * its summary, then the trace in the visualizer, or, with no display, a PNG of its timeline.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the demo: the baseline-echo scenario (TCP echo over 127.0.0.1 through one epoll loop",
      "per worker) with tracing on; print its summary; then open the trace in the visualizer,",
      "or, with no display, write the timeline as a PNG."
    })
public final class DemoCommand implements Runnable, IExitCodeGenerator {
  private int exitCode;

  /** The size of the headless timeline picture. */
  static final int PNG_WIDTH = 1600;
  static final int PNG_HEIGHT = 900;

  @Spec CommandSpec spec;

  @Option(names = "--duration", paramLabel = "TIME",
      description = "How long to run (default: ${DEFAULT-VALUE}).")
  String duration = "3s";

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Where to write the trace (default: ${DEFAULT-VALUE}).")
  Path trace = Path.of("kallisto-demo.ktrace");

  @Option(names = "--png", paramLabel = "FILE",
      description = "Where to write the timeline picture when no window can open"
          + " (default: ${DEFAULT-VALUE}).")
  Path png = Path.of("kallisto-demo.png");

  @Option(names = "--no-window",
      description = "Write the PNG even when a display is available.")
  boolean noWindow;

  @Override
  public void run() {
    Duration d;
    try {
      d = Durations.parse(duration, Duration.ofMillis(500), Duration.ofMinutes(10));
    } catch (IllegalArgumentException e) {
      throw new UserError("--duration: " + e.getMessage());
    }
    new FileArguments().output("--trace", trace).output("--png", png).check();
    PrintWriter out = spec.commandLine().getOut();
    Scenario s = Scenarios.load("baseline-echo").withDuration(d).withTracing(true);
    out.println("Kallisto demo: " + s.description());
    out.flush();
    // SIGINT and SIGTERM cut the demo short: the summary of what ran, and no window.
    try (Interrupts interrupts = Interrupts.catchSignals("kallisto demo")) {
      RunSummary summary = RunCommand.execute(s, trace,
          "kallisto demo --duration " + Durations.format(d), interrupts.stop());
      RunReport.print(summary, out);
      exitCode = interrupts.exitCode();
    }
    if (exitCode != 0) {
      out.println("The demo was interrupted; its trace is in " + trace + " ('kallisto view "
          + trace + "').");
      out.flush();
      return;
    }
    show(out);
  }

  /** 0, or 130 / 143 when SIGINT / SIGTERM cut the demo short. */
  @Override
  public int getExitCode() {
    return exitCode;
  }

  private void show(PrintWriter out) {
    Optional<TraceViewer> viewer = TraceViewer.find();
    if (viewer.isEmpty()) {
      out.println("The visualizer is not on the classpath; see the trace with 'kallisto trace"
          + " stats " + trace + "' or export it with 'kallisto trace export'.");
      out.flush();
      return;
    }
    TraceViewer v = viewer.get();
    try {
      if (!noWindow && v.canOpenWindow()) {
        out.println("Opening the trace in the visualizer; close its window to finish.");
        out.flush();
        v.openWindow(trace);
      } else {
        v.writePng(trace, png, PNG_WIDTH, PNG_HEIGHT);
        out.println("timeline: " + png + " (no display; open the trace with 'kallisto view "
            + trace + "' where there is one)");
      }
    } catch (UncheckedIOException e) {
      throw new UserError(e.getMessage());
    }
    out.flush();
  }
}
