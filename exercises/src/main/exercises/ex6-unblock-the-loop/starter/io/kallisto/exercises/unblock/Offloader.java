package io.kallisto.exercises.unblock;

import io.kallisto.event.Dispatcher;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * YOUR bounded pool of threads for blocking work, shared by every loop of a server: a loop hands
 * it work that would block, goes on serving, and hears the outcome later by a post to itself.
 *
 * <p><b>Bounded.</b> At most {@code threads} tasks run at once and at most {@code queueCapacity}
 * more wait; beyond that {@link #offload} refuses at once, so a burst of slow requests can
 * neither queue without limit nor make the calling loop wait.
 *
 * <p><b>Threads.</b> {@link #offload} is safe from any thread and never blocks. {@link #close}
 * may be called from any thread but a pool thread.
 *
 * <pre>{@code
 * Offloader offloader = new Offloader("lookup", 4, 64);
 * // on a loop:
 * boolean accepted = offloader.offload(() -> backend.serve(kind, nanos), loop,
 *     (spent, failure) -> { ... on the loop again: answer, or handle the failure ... });
 * ...
 * offloader.close();
 * }</pre>
 *
 * <p>Do not change the public signatures: the tests compile against them. Any
 * {@code java.util.concurrent} class may be used (read the hints in the README about
 * {@code ThreadPoolExecutor}'s queue bound).
 */
public final class Offloader implements AutoCloseable {

  /**
   * A pool of {@code threads} threads named {@code name-0}, {@code name-1}, ..., with room for
   * {@code queueCapacity} tasks waiting.
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code queueCapacity < 0}
   */
  public Offloader(String name, int threads, int queueCapacity) {
    throw new UnsupportedOperationException("TODO: Offloader: create the bounded pool");
  }

  /**
   * Runs {@code work} on a pool thread, then {@code then} on {@code loop}'s thread by a post,
   * exactly once: with the result and a null failure, or a null result and what {@code work}
   * threw. Safe from any thread; never blocks. If {@code loop} has closed by the time the work is
   * done, {@code then} is dropped: no one is left to tell.
   *
   * @return true if accepted; false, having run nothing, when {@code threads} tasks run and
   *     {@code queueCapacity} wait already, or after {@link #close}
   */
  public <T> boolean offload(Supplier<T> work, Dispatcher loop, BiConsumer<T, Throwable> then) {
    throw new UnsupportedOperationException("TODO: offload: run work on the pool, post then back"
        + " to the loop");
  }

  /** The most tasks that may be running and waiting at once: threads plus queue capacity. */
  public int capacity() {
    throw new UnsupportedOperationException("TODO: capacity: threads + queueCapacity");
  }

  /**
   * Stops accepting work, lets the work already accepted finish (its outcomes are still posted),
   * and returns once every pool thread has ended. Idempotent.
   *
   * @throws IllegalStateException on a pool thread, which would wait for itself
   */
  @Override
  public void close() {
    throw new UnsupportedOperationException("TODO: close: stop the pool and wait for its threads");
  }
}
