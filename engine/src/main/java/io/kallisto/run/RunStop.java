package io.kallisto.run;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A request to cut a run short, made from any thread (a signal handler, a test), and honoured by
 * {@link ScenarioRunner} and {@link SimulationRunner}: the load stops, the timer storm stops
 * re-arming, setup steps not yet begun are skipped, and the run returns a summary of what ran,
 * marked with an {@link Interruption}. Every method is safe from any thread.
 *
 * <pre>{@code
 * RunStop stop = new RunStop();
 * signalHandler = sig -> stop.request("SIG" + sig.getName());
 * RunSummary s = new ScenarioRunner().run(scenario, trace, command, listener, stop);
 * if (s.interruption() != null) System.out.println(s.interruption().describe());
 * }</pre>
 *
 * <p><b>Note:</b> a stop is one-way: once requested it stays requested.
 */
public final class RunStop {
  /** What a runner asks to have run the moment a stop is requested. */
  @FunctionalInterface
  public interface Action {
    /** Called once, on the requesting thread, or at once on registration if already stopped. */
    void stopRequested();
  }

  /** Unregisters an action; closing twice is harmless. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private final List<Action> actions = new CopyOnWriteArrayList<>();
  private volatile String reason;
  private volatile long requestedAt;

  /**
   * Asks the run to stop, for {@code reason} (a signal's name such as {@code "SIGTERM"}), and runs
   * the registered actions on this thread. Only the first request counts.
   *
   * @return true if this call made the request, false if one was made already
   */
  public boolean request(String reason) {
    Objects.requireNonNull(reason, "reason");
    synchronized (this) {
      if (this.reason != null) {
        return false;
      }
      requestedAt = System.nanoTime();
      this.reason = reason; // volatile, after the time: a reader that sees it sees the time
    }
    for (Action a : actions) {
      a.stopRequested();
    }
    return true;
  }

  /** True once a stop was requested. */
  public boolean requested() {
    return reason != null;
  }

  /** Why the stop was requested, or {@code null} if it was not. */
  public String reason() {
    return reason;
  }

  /** When the stop was requested, in {@link System#nanoTime()}; 0 if it was not. */
  public long requestedAtNanos() {
    return reason == null ? 0 : requestedAt;
  }

  /**
   * Runs {@code action} when a stop is requested: at once, on this thread, if one already was.
   * Returns a handle that unregisters it.
   */
  public Registration whenRequested(Action action) {
    Objects.requireNonNull(action, "action");
    actions.add(action);
    // A request racing with the add either ran the action or is seen here; running it twice is
    // harmless for the idempotent actions runners register.
    if (requested()) {
      action.stopRequested();
    }
    return () -> actions.remove(action);
  }
}
