package io.kallisto.cli;

import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.run.RunStop;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a command runs a scenario, SIGINT (Ctrl-C) and SIGTERM ask the run to stop instead of
 * killing the JVM: the first one requests {@link #stop()}, the run ends within a second or two,
 * and the command still prints the summary of what ran, writes its JSON and closes its trace,
 * each marked as interrupted; then it returns {@link #exitCode()}, 128 + the signal's number
 * (130 for SIGINT, 143 for SIGTERM), and {@link #exit} ends the process by that signal, as a
 * shell expects of a process a signal stopped. A second signal, or a run that has not stopped
 * {@link #GRACE_SECONDS} s after the first, ends the JVM at once with the same code. A signal
 * that comes before the handlers are installed (while the JVM starts, or the scenario is read)
 * or after they are put back gets the JVM's own handling: it exits with the same code, having
 * run nothing or written everything.
 *
 * <pre>{@code
 * try (Interrupts interrupts = Interrupts.catchSignals("kallisto run")) {
 *   RunSummary s = RunCommand.execute(scenario, trace, command, interrupts.stop());
 *   ... print, write ...
 *   exitCode = interrupts.exitCode();
 * }
 * }</pre>
 *
 * <p>Why {@code sun.misc.Signal} (module jdk.unsupported; checked on OpenJDK 17.0.15 and
 * Temurin 25.0.3)
 * and not a shutdown hook: a hook runs only once the JVM has begun to exit. The run would then
 * have to be stopped, summarised and written from inside the exit sequence, racing the other
 * hooks and the halt that follows them; {@code System.exit} from the main thread would block
 * forever; and the exit code could not be chosen. A signal handler only asks the run to stop; the
 * command finishes on its ordinary path, on its own thread, and returns its own exit code. The
 * previous handlers (the JVM's, which exit through the hooks) are put back on {@link #close()}.
 *
 * <p>A signal the parent process ignores (SIG_IGN, as {@code nohup} sets for SIGHUP, or a
 * non-interactive shell for SIGINT in a background job) stays ignored: the JVM keeps it so, and
 * so does this class.
 */
final class Interrupts implements AutoCloseable {
  /** How long a run may take to stop after the first signal before the JVM is ended anyway. */
  static final int GRACE_SECONDS = 10;
  private static final String[] SIGNALS = {"INT", "TERM"};

  /** The last signal any instance caught: how {@link #exit} knows what stopped the command. */
  private static volatile Signal lastCaught;

  private final String command;
  private final PrintStream err;
  private final RunStop stop = new RunStop();
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Signal caught;

  private Interrupts(String command, PrintStream err) {
    this.command = command;
    this.err = err;
  }

  /**
   * Catches SIGINT and SIGTERM until {@link #close()}; {@code command} names the command in the
   * lines printed to {@code System.err} when one arrives.
   */
  static Interrupts catchSignals(String command) {
    Interrupts interrupts = new Interrupts(command, System.err);
    for (String name : SIGNALS) {
      Signal signal = new Signal(name);
      SignalHandler old = Signal.handle(signal, interrupts::handle);
      if (old == SignalHandler.SIG_IGN) {
        Signal.handle(signal, old); // the parent wants it ignored; the JVM never caught it
      } else {
        interrupts.previous.put(signal, old);
      }
    }
    return interrupts;
  }

  /** What the run honours: requested at the first signal. */
  RunStop stop() {
    return stop;
  }

  /** 0, or 128 + the number of the signal that stopped the run: 130 SIGINT, 143 SIGTERM. */
  int exitCode() {
    Signal s = caught;
    return s == null ? 0 : 128 + s.getNumber();
  }

  /** Puts the previous handlers back. */
  @Override
  public void close() {
    previous.forEach(Signal::handle);
    closed.countDown();
  }

  /** On the JVM's signal thread: the first signal stops the run, a second ends the JVM. */
  private void handle(Signal signal) {
    String name = "SIG" + signal.getName();
    synchronized (this) {
      if (caught != null) {
        err.println();
        err.println(command + ": " + name + " again: quitting at once, without the summary");
        err.flush();
        Runtime.getRuntime().halt(128 + signal.getNumber());
      }
      caught = signal;
      lastCaught = signal;
    }
    err.println();
    err.println(command + ": " + name + ": stopping the run, then writing what ran (send it"
        + " again to quit at once)");
    err.flush();
    stop.request(name);
    Thread deadline = new Thread(() -> haltUnlessClosed(signal), "kallisto-stop-deadline");
    deadline.setDaemon(true);
    deadline.start();
  }

  /**
   * Ends the JVM with {@code code}, as {@code System.exit} does; unless the command was stopped by
   * a signal caught here (code 128 + its number), when the process ends by that signal itself,
   * with its default action: the kernel ends it at once, and its parent sees it was killed by
   * SIGINT or SIGTERM (a shell's {@code $?} reads 130 or 143 either way; a shell script that ran
   * it also stops, as for any program interrupted by Ctrl-C). Everything is written by then;
   * {@code System.exit} would first wait for the JVM to reach a safepoint and for the garbage
   * collector to stop, which a melted-down run (a heap of millions of timers, 256 busy threads)
   * was measured to take 26 s over. For {@link KallistoCli#main} only: never in tests.
   */
  static void exit(int code) {
    Signal s = lastCaught;
    if (s != null && code == 128 + s.getNumber() && LinuxNative.isAvailable()) {
      System.out.flush();
      System.err.flush();
      try {
        Signal.handle(s, SignalHandler.SIG_DFL);
        LinuxNative.killSelf(s.getNumber());
      } catch (RuntimeException e) {
        // Not allowed here (the JVM kept the signal): end the ordinary way.
      }
    }
    System.exit(code);
  }

  /** Ends the JVM if the command has not finished {@link #GRACE_SECONDS} after the signal. */
  private void haltUnlessClosed(Signal signal) {
    try {
      if (closed.await(GRACE_SECONDS, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.println(command + ": the run did not stop within " + GRACE_SECONDS + " s of SIG"
        + signal.getName() + "; quitting without the summary (a bug: please report it)");
    err.flush();
    Runtime.getRuntime().halt(128 + signal.getNumber());
  }
}
