package io.kallisto.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kallisto trace}: tools for {@code .ktrace} files. Without a subcommand, its usage. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "Read .ktrace files: summarize, export for a viewer, or measure latencies.",
    subcommands = {TraceInfoCommand.class, TraceExportCommand.class, TraceStatsCommand.class})
public final class TraceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Prints the usage: {@code trace} alone is a request for help. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
