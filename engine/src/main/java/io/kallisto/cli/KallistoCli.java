package io.kallisto.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code kallisto <command>}. Subcommands from other modules arrive through
 * {@link CommandProvider} and {@link ServiceLoader}, so the engine never depends on them.
 *
 * <p>Exit codes: 0 success, 1 an internal failure (reported with its stack trace, since it is a
 * bug), {@value #EXIT_USER_ERROR} a user error (one line, no stack trace), 130 or 143 for a run
 * that SIGINT or SIGTERM cut short (after its summary and files were written).
 */
@Command(
    name = "kallisto",
    mixinStandardHelpOptions = true,
    versionProvider = KallistoCli.Version.class,
    description = "A teaching and simulation sandbox for event-loop threading (Envoy's model).",
    subcommands = {DemoCommand.class, RunCommand.class, CompareCommand.class, TraceCommand.class, PostDemoCommand.class, CommandLine.HelpCommand.class})
public final class KallistoCli implements Runnable {
  /** Exit code for mistakes in the user's input. */
  public static final int EXIT_USER_ERROR = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Forces the event-loop backend for this run, for every command. */
  @CommandLine.Option(names = "--backend", paramLabel = "NAME",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Event-loop backend: epoll (Linux) or nio (java.nio, any platform)."
          + " Default: epoll where available.")
  void setBackend(String name) {
    if (!name.equals("epoll") && !name.equals("nio")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--backend=" + name + " names no backend; allowed: epoll, nio");
    }
    if (name.equals("epoll") && !io.kallisto.event.epoll.LinuxNative.isAvailable()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--backend=epoll is not available here (" + System.getProperty("os.name")
              + "); use nio");
    }
    System.setProperty(io.kallisto.event.Dispatchers.BACKEND_PROPERTY, name);
  }

  /**
   * Runs the CLI and exits the JVM with its exit code (by the signal itself for a run a signal
   * cut short: see {@link Interrupts#exit}).
   */
  public static void main(String[] args) {
    Interrupts.exit(execute(args));
  }

  /** Runs the CLI without exiting, for tests and embedding. Returns the exit code. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, with every discovered subcommand. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new KallistoCli());
    for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
      cli.addSubcommand(provider.command());
    }
    cli.setExecutionExceptionHandler(KallistoCli::handleException);
    cli.setParameterExceptionHandler(KallistoCli::handleParameterError);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A mistyped command line: one line with a suggestion and where to find help. */
  private static int handleParameterError(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    StringBuilder line = new StringBuilder(cli.getCommandSpec().qualifiedName())
        .append(": ").append(e.getMessage());
    if (e instanceof CommandLine.UnmatchedArgumentException) {
      java.util.List<String> suggestions =
          ((CommandLine.UnmatchedArgumentException) e).getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
      }
    }
    line.append("; see '").append(cli.getCommandSpec().qualifiedName()).append(" --help'");
    cli.getErr().println(line);
    cli.getErr().flush();
    return EXIT_USER_ERROR;
  }

  private static int handleException(Exception e, CommandLine cli,
      CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof UserError) {
      err.println(cli.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      err.flush();
      return EXIT_USER_ERROR;
    }
    err.println(cli.getCommandSpec().qualifiedName()
        + ": internal error (a bug; please report it with this trace):");
    e.printStackTrace(err);
    err.flush();
    return 1;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "kallisto " + io.kallisto.KallistoVersion.get(),
        "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        "OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
      };
    }
  }
}
