package io.kallisto.exercises.support;

import io.kallisto.sim.Scheduler;
import io.kallisto.sim.Simulation;
import io.kallisto.sim.SimulationCosts;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;

/**
 * Runs a check on the deterministic simulated backend once per seed, each seed a different
 * interleaving of the loops (the random scheduler), and makes a failure replayable: the message
 * names the seed, and the failing seed is run again traced in virtual time, which gives the same
 * run, into a {@code .ktrace} the message names. Given to a test by {@link TraceOnFailure}:
 *
 * <pre>{@code
 * @Test
 * void completionRunsAfterEveryWorker(Seeds seeds) {
 *   seeds.check(50, 4, sim -> { ... build loops with sim.createDispatcher(...), sim.runUntilIdle(),
 *                               assert ... });
 * }
 * }</pre>
 *
 * <p>With the system property {@value #SEED_PROPERTY} set ({@code kallisto grade --seed N}) only
 * that seed runs.
 */
public final class Seeds {
  /** The system property that selects one seed to replay. */
  public static final String SEED_PROPERTY = "kallisto.grade.seed";

  /** One run of the check on a fresh simulation. */
  @FunctionalInterface
  public interface SimulatedCheck {
    /**
     * Builds loops on {@code sim}, runs it and asserts; an exception or assertion error fails
     * the seed.
     */
    void run(Simulation sim) throws Exception;
  }

  private final Class<?> testClass;
  private final String method;

  Seeds(Class<?> testClass, String method) {
    this.testClass = testClass;
    this.method = method;
  }

  /**
   * Runs {@code check} for seeds 1 to {@code count} (or only the seed {@value #SEED_PROPERTY}
   * names) on a simulation of {@code cores} simulated cores with the random scheduler. Stops at
   * the first failing seed and throws an {@link AssertionError} naming it and its trace.
   */
  public void check(int count, int cores, SimulatedCheck check) {
    long only = Long.getLong(SEED_PROPERTY, 0);
    long first = only > 0 ? only : 1;
    long last = only > 0 ? only : count;
    for (long seed = first; seed <= last; seed++) {
      Throwable failure = runOnce(seed, cores, check, null);
      if (failure != null) {
        throw replayed(seed, first, last, cores, check, failure);
      }
    }
    System.out.println(testClass.getSimpleName() + "." + method + ": seeds " + first
        + (last > first ? ".." + last : "") + " passed (random scheduler, " + cores(cores) + ")");
  }

  private AssertionError replayed(long seed, long first, long last, int cores,
      SimulatedCheck check, Throwable failure) {
    String where = "seed " + seed + " (of " + first + ".." + last + ", random scheduler, "
        + cores(cores) + "; replay with 'kallisto grade --tests " + testClass.getSimpleName()
        + " --seed " + seed + "')";
    Path file = GradingTraces.file(testClass, method, "seed-" + seed);
    String trace;
    try {
      Throwable again = runOnce(seed, cores, check, file);
      trace = again == null
          ? "; the traced replay passed, so the failure depends on something outside the"
              + " simulation (a real thread, the wall clock, an identity hash)"
          : "; trace: " + GradingTraces.viewCommand(file);
    } catch (RuntimeException e) {
      trace = "; replaying it traced failed too: " + e;
    }
    String message = failure instanceof AssertionError && failure.getMessage() != null
        ? failure.getMessage() : failure.toString();
    AssertionError error = new AssertionError(where + ": " + message + trace, failure);
    System.err.println(error.getMessage());
    return error;
  }

  private static String cores(int cores) {
    return cores + (cores == 1 ? " simulated core" : " simulated cores");
  }

  private Throwable runOnce(long seed, int cores, SimulatedCheck check, Path traceFile) {
    Simulation sim = new Simulation(testClass.getSimpleName() + "." + method, cores,
        Scheduler.RANDOM, seed, SimulationCosts.DEFAULT);
    ThreadTrace outer = null;
    if (traceFile != null) {
      Tracing.start(traceFile, TraceOptions.defaults().virtualClock(sim::now).seed(seed)
          .scenario(testClass.getSimpleName() + "." + method)
          .fact("simulation.cores", Integer.toString(cores))
          .fact("simulation.scheduler", "random"));
      outer = sim.actAsDriver();
    }
    try {
      check.run(sim);
      return null;
    } catch (Exception | AssertionError e) {
      return e;
    } finally {
      if (traceFile != null) {
        Tracing.actAs(outer);
        Tracing.stop();
      }
    }
  }
}
