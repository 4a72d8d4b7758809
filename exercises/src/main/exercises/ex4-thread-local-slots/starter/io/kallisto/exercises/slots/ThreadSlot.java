package io.kallisto.exercises.slots;

import io.kallisto.event.Dispatcher;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * YOUR slot: one index into every dispatcher's storage, Envoy's {@code ThreadLocal::Slot}. Each
 * dispatcher of its {@link ThreadSlots} holds its own value, which only its own loop reads and
 * writes: no lock anywhere on the way to a value.
 *
 * <p><b>Threads.</b> {@link #get()} is called on any of the dispatchers' loops. {@link #set},
 * {@link #runOnAllThreads} and {@link #close()} are main-only (see {@link ThreadSlots}) and throw
 * {@link IllegalStateException} elsewhere. {@link #index()} is safe from any thread.
 *
 * <pre>{@code
 * ThreadSlot<Stats> stats = slots.allocateSlot();
 * stats.set(dispatcher -> new Stats(dispatcher.name()));     // each loop builds its own
 * // in any callback on a worker:
 * stats.get().requests++;                                    // no lock: nobody else touches it
 * // on main:
 * stats.runOnAllThreads(s -> s.flush(), () -> report());     // report() on main, after all flushed
 * }</pre>
 *
 * <p>The constructor is package-private and yours to change.
 *
 * @param <T> the value type
 */
public final class ThreadSlot<T> implements AutoCloseable {

  ThreadSlot(ThreadSlots slots, int index) {
    // TODO: keep what the slot needs
  }

  /**
   * The value of the dispatcher whose loop is running here (main's, outside every loop while
   * main's loop is not running elsewhere); {@code null} until a {@link #set} has reached it. No
   * lock.
   *
   * @throws IllegalStateException after {@link #close()}, or where none of the dispatchers runs
   */
  public T get() {
    throw new UnsupportedOperationException("TODO: get(): this loop's value");
  }

  /**
   * Gives every dispatcher a value made by {@code initializer}, called with that dispatcher:
   * inline on main, so main's value is in place when this returns, then by a post to each
   * worker, which builds its own value on its own loop. Main-only.
   *
   * @throws IllegalStateException off main, or after {@link #close()}
   */
  public void set(Function<Dispatcher, T> initializer) {
    throw new UnsupportedOperationException("TODO: set(): inline on main, by post on each worker");
  }

  /**
   * Runs {@code callback} with each dispatcher's value: inline on main, then by post on each
   * worker. After the last worker has run it, {@code completion} is posted to main, and runs
   * there once; never before every worker has run {@code callback} (a callback that throws
   * still counts as run). Several calls may be in flight; each completion waits for its own
   * callbacks only. If the slot is closed first, the callbacks not yet run and the completion
   * never run. With no workers, the completion is still posted to main, not run inline.
   * Main-only.
   *
   * @throws IllegalStateException off main, or after {@link #close()}
   */
  public void runOnAllThreads(Consumer<T> callback, Runnable completion) {
    throw new UnsupportedOperationException("TODO: runOnAllThreads(): a CompletionBarrier per"
        + " call; the last worker to arrive posts the completion to main");
  }

  /**
   * Closes the slot: the callbacks it posted and that have not started never run, nor do the
   * completions still due; main's value is dropped now, and each worker drops its own on its
   * own loop, each closing its value if it is {@link AutoCloseable}; the index is free for the
   * next {@link ThreadSlots#allocateSlot()}. Main-only. Idempotent.
   */
  @Override
  public void close() {
    throw new UnsupportedOperationException("TODO: close()");
  }

  /** The storage index, reused once the slot is closed. Safe from any thread. */
  public int index() {
    throw new UnsupportedOperationException("TODO: index()");
  }
}
