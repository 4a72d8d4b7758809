package io.kallisto.exercises.workers;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for the tests: a condition with a deadline, never a sleep that hopes. */
final class Waits {
  private Waits() {}

  /**
   * Returns once {@code condition} holds; fails the test with {@code failure} if it does not hold
   * within {@code limit}.
   */
  static void until(BooleanSupplier condition, Duration limit, Supplier<String> failure) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(failure.get());
      }
      Thread.yield();
    }
  }

  /** Waits for {@code worker} to be in {@code state}; fails after 10 s saying what it was. */
  static void untilState(LifecycleWorker worker, WorkerState state, String context) {
    until(() -> worker.state() == state, Duration.ofSeconds(10),
        () -> context + ": expected worker '" + worker.name() + "' to reach " + state
            + " within 10 s, but it is " + worker.state());
  }

  /** Stops {@code worker} at the end of a test, whatever state the test left it in. */
  static void stopQuietly(LifecycleWorker worker) {
    if (worker == null) {
      return;
    }
    try {
      worker.stop();
    } catch (RuntimeException | AssertionError e) {
      // The test has already failed or passed; cleaning up must not change that.
    }
  }

  /** Stops {@code pool} at the end of a test, whatever state the test left it in. */
  static void stopQuietly(LifecyclePool pool) {
    if (pool == null) {
      return;
    }
    try {
      pool.stop();
    } catch (RuntimeException | AssertionError e) {
      // As above.
    }
  }
}
