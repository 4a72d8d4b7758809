package io.kallisto.event;

import java.time.Duration;

/**
 * A one-shot timer owned by the {@link Dispatcher} that created it. Its callback runs on the
 * loop thread when the deadline passes.
 *
 * <p>Every method is loop-only: while a {@code run()} is in progress only the loop thread may
 * call it, and any other thread gets {@link IllegalStateException}.
 *
 * <pre>{@code
 * Timer tick = dispatcher.createTimer(() -> System.out.println("tick"));
 * tick.enable(Duration.ofMillis(100));   // fires once, about 100 ms from now
 * tick.enable(Duration.ofMillis(10));    // replaces the deadline: fires in about 10 ms instead
 * }</pre>
 */
public interface Timer {
  /**
   * Arms the timer to fire {@code delay} from now. A pending deadline is replaced, earlier or
   * later. A zero delay enabled inside a timer callback fires on the next loop iteration, not the
   * current one.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  void enable(Duration delay);

  /**
   * Arms the timer to fire at {@code deadlineNanos} on the dispatcher's {@link Dispatcher#now()}
   * clock, replacing a pending deadline. A deadline already past fires on the next iteration.
   * Unlike {@link #enable}, a periodic schedule built on absolute deadlines does not drift by the
   * lateness of each firing, and arming allocates nothing.
   */
  void enableAt(long deadlineNanos);

  /** Disarms the timer. A timer disabled earlier in the same iteration does not fire. */
  void disable();

  /** True while the timer is armed and has not fired. */
  boolean enabled();
}
