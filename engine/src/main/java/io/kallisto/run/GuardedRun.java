package io.kallisto.run;

import io.kallisto.load.LoadResult;
import io.kallisto.scenario.Scenario;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs a scenario on a thread of its own ({@code kallisto-run}) while the caller waits, so that
 * a {@link RunStop} is answered within {@link #CUT_GRACE_MILLIS} whatever the run is stuck in.
 * The runners stop their loads, storms and waits at once, but each step of setting up waits for
 * a loop to take a post, and a melted-down loop (every one of its 100,000 timers due at each
 * turn) can take seconds to get there. Past the grace the caller gets a summary that says no
 * figures were collected, and the run finishes stopping on its daemon thread, which holds no
 * process up and no longer reports progress.
 */
final class GuardedRun {
  /** How long after a stop the caller waits for the run's own summary. */
  static final long CUT_GRACE_MILLIS = 800;
  /** The stop's reason when the calling thread was interrupted. */
  static final String INTERRUPTED = "Thread.interrupt";

  private GuardedRun() {}

  /**
   * Calls {@code run} with a listener forwarding to {@code listener}, on thread
   * {@code kallisto-run}, and returns what it returns or rethrows what it throws; unless
   * {@code stop} was requested and it has not returned {@link #CUT_GRACE_MILLIS} later, when this
   * returns the summary of a run whose figures were not collected. Interrupting the calling
   * thread requests the stop ({@value #INTERRUPTED}), as a signal would: a notebook kernel stops
   * a cell that way, and gets the summary of what ran; the interrupt stays set.
   */
  static RunSummary call(Scenario scenario, String backend, RunStop stop,
      ScenarioRunner.Listener listener, Function<ScenarioRunner.Listener, RunSummary> run) {
    long wallStart = System.nanoTime();
    Forwarding forward = new Forwarding(listener);
    CompletableFuture<RunSummary> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(run.apply(forward));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "kallisto-run");
    t.setDaemon(true); // abandoned after a cut, it must not keep the JVM alive
    t.start();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    boolean[] interrupted = {false};
    try (RunStop.Registration wake = stop.whenRequested(() -> stopped.complete(null))) {
      await(CompletableFuture.anyOf(result, stopped), Long.MAX_VALUE, interrupted, stop);
      long grace = stop.requestedAtNanos() + TimeUnit.MILLISECONDS.toNanos(CUT_GRACE_MILLIS)
          - System.nanoTime();
      if (!result.isDone() && !await(result, grace, interrupted, stop)) {
        forward.abandoned = true;
        return new RunSummary(scenario, backend, LoadResult.uncollected(forward.answered),
            List.of(), 0, 0, 0, (System.nanoTime() - wallStart) / 1e9, null,
            new Interruption(stop.reason(), stop.requestedAtNanos(), forward.elapsed,
                scenario.duration().toNanos(), false));
      }
      return result.join();
    } catch (CompletionException e) {
      throw unwrapped(e);
    } finally {
      if (interrupted[0]) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * What {@code e} wraps, to rethrow as it was first thrown: its unchecked cause (an
   * {@link Error} is thrown from here), or {@code e} itself for a checked one.
   */
  static RuntimeException unwrapped(CompletionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    return cause instanceof RuntimeException ? (RuntimeException) cause : e;
  }

  /**
   * Waits up to {@code nanos} for {@code f}; true if it is done. An interrupt is noted and
   * requests {@code stop}, which ends the run, and so the wait, within the grace.
   */
  private static boolean await(CompletableFuture<?> f, long nanos, boolean[] interrupted,
      RunStop stop) {
    long deadline = System.nanoTime() + Math.max(0, nanos);
    while (true) {
      try {
        if (nanos == Long.MAX_VALUE) {
          f.get();
        } else {
          f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return true;
      } catch (InterruptedException e) {
        interrupted[0] = true;
        stop.request(INTERRUPTED);
      } catch (ExecutionException e) {
        return true; // done, exceptionally: join() rethrows it
      } catch (TimeoutException e) {
        return false;
      }
    }
  }

  /** Forwards progress until the caller gives up on the run; remembers the last report. */
  private static final class Forwarding implements ScenarioRunner.Listener {
    private final ScenarioRunner.Listener to;
    volatile boolean abandoned;
    volatile long elapsed;
    volatile long answered;

    Forwarding(ScenarioRunner.Listener to) {
      this.to = to;
    }

    @Override
    public void progress(long elapsedNanos, long durationNanos, long answeredSoFar) {
      if (abandoned) {
        return;
      }
      elapsed = elapsedNanos;
      answered = answeredSoFar;
      to.progress(elapsedNanos, durationNanos, answeredSoFar);
    }
  }
}
