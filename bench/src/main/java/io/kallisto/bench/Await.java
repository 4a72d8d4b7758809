package io.kallisto.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Bounded waits: a benchmark that hangs must fail, not stall the whole standard run. */
final class Await {
  /** The longest any single benchmark operation may take. */
  static final long TIMEOUT_SECONDS = 60;

  private Await() {}

  /** Waits for {@code latch}, failing with {@code what} after {@link #TIMEOUT_SECONDS}. */
  static void latch(CountDownLatch latch, String what) {
    try {
      if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(what + " did not finish within " + TIMEOUT_SECONDS
            + " s (latch count=" + latch.getCount() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " was interrupted", e);
    }
  }

  /** Runs {@code task} on {@code loop} and waits until it has run. */
  static void onLoop(BenchLoop loop, Runnable task, String what) {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    loop.execute(() -> {
      try {
        task.run();
      } catch (Throwable t) {
        failure.set(t);
      } finally {
        done.countDown();
      }
    });
    latch(done, what + " on " + loop.name());
    if (failure.get() != null) {
      // Loops swallow and log callback failures; the benchmark must fail instead.
      throw new IllegalStateException(what + " failed on " + loop.name(), failure.get());
    }
  }
}
