package io.kallisto.event;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a condition that another thread makes true, checking it every millisecond, and
 * fails with {@code message} if it is still false after {@code limit}. For states that no latch
 * can signal (a counter on a monitoring thread, say); not a delay before an assertion.
 */
public final class Eventually {
  private Eventually() {}

  /** Returns once {@code condition} holds; throws {@link AssertionError} after {@code limit}. */
  public static void await(BooleanSupplier condition, Duration limit, Supplier<String> message) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + limit + ": " + message.get());
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
