package io.kallisto.sim;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import java.time.Duration;

/**
 * What a callback on a {@link SimulatedDispatcher} does to spend virtual time. Call these from
 * inside a simulated loop's callbacks; anywhere else they throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * dispatcher.post(() -> {
 *   Simulate.cpu(Duration.ofMicros(50));    // 50 us of computation on this loop's core
 *   Simulate.sleep(Duration.ofMillis(20));  // a blocking call: the loop waits, its core is free
 * });
 * }</pre>
 */
public final class Simulate {
  private Simulate() {}

  /** Spends {@code work} of CPU on the running loop's core. */
  public static void cpu(Duration work) {
    cpu(work.toNanos());
  }

  /** Spends {@code nanos} of CPU on the running loop's core. */
  public static void cpu(long nanos) {
    simulation("Simulate.cpu()").advance(nanos);
  }

  /**
   * Blocks the running loop's thread for {@code wait}, as a synchronous call would: the loop does
   * nothing else meanwhile, but its core may run another loop.
   */
  public static void sleep(Duration wait) {
    simulation("Simulate.sleep()").block(wait.toNanos());
  }

  /** The virtual time now, in nanoseconds. */
  public static long now() {
    return simulation("Simulate.now()").now();
  }

  /** True inside a callback of a simulated dispatcher. */
  public static boolean active() {
    return Dispatchers.current() instanceof SimulatedDispatcher;
  }

  private static Simulation simulation(String what) {
    Dispatcher d = Dispatchers.current();
    if (d instanceof SimulatedDispatcher) {
      return ((SimulatedDispatcher) d).simulation();
    }
    throw new IllegalStateException(what + " must be called inside a callback of a simulated"
        + " dispatcher; " + (d == null ? "no dispatcher runs on thread '"
            + Thread.currentThread().getName() + "'" : "'" + d.name() + "' is not simulated"));
  }
}
