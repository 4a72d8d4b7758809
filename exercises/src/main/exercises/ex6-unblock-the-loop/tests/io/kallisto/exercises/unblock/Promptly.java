package io.kallisto.exercises.unblock;

import io.kallisto.event.Dispatcher;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Calls {@link Offloader#offload} on a thread of its own and gives it 5 s to return, so that an
 * offload that waits for its work (held at a gate) fails the test at once with a clear message
 * instead of holding the test until its time limit. Part of the tests.
 */
final class Promptly {
  private Promptly() {}

  /** {@code offloader.offload(work, loop, then)}, which must return within 5 s. */
  static <T> boolean offload(Offloader offloader, Supplier<T> work, Dispatcher loop,
      BiConsumer<T, Throwable> then) {
    FutureTask<Boolean> call = new FutureTask<>(() -> offloader.offload(work, loop, then));
    Thread caller = new Thread(call, "offload-caller");
    caller.setDaemon(true); // if it is stuck at a gate, the test's finally opens the gate
    caller.start();
    try {
      return call.get(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("expected offload() to return at once, whatever its work does;"
          + " it had not returned 5 s later while the work was held: does it wait for the work"
          + " (a Future.get(), a join)? A loop that called it would wait too.");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new AssertionError("offload() threw " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
