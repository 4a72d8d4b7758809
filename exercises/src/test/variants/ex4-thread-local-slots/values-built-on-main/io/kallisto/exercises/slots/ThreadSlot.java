package io.kallisto.exercises.slots;

import io.kallisto.event.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One index into every dispatcher's storage: Envoy's {@code ThreadLocal::Slot}. Each dispatcher
 * of its {@link ThreadSlots} holds its own value, which only its own loop reads and writes.
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
 * @param <T> the value type
 */
public final class ThreadSlot<T> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.kallisto.exercises.slots");

  private final ThreadSlots slots;
  private final int index;
  /** Written on main by close(); read by the callbacks this slot posted, on the workers. */
  private volatile boolean closed;
  /** Barriers of runOnAllThreads calls whose completion has not run yet; main-only. */
  private final List<CompletionBarrier> inFlight = new ArrayList<>();

  ThreadSlot(ThreadSlots slots, int index) {
    this.slots = slots;
    this.index = index;
  }

  /**
   * The value of the dispatcher whose loop is running here (main's, outside every loop while
   * main's loop is not running elsewhere); {@code null} until a {@link #set} has reached it. A
   * map lookup and an array read: no lock.
   *
   * @throws IllegalStateException after {@link #close()}, or where none of the dispatchers runs
   */
  @SuppressWarnings("unchecked")
  public T get() {
    if (closed) {
      throw new IllegalStateException("slot " + index + " is closed: get() has no value");
    }
    return (T) slots.callerStorage("slot " + index + " get()").get(index);
  }

  /**
   * Gives every dispatcher a value made by {@code initializer}, called with that dispatcher:
   * inline on main, so main's value is in place when this returns, then by a post to each
   * worker, which builds its own value on its own loop. Main-only.
   *
   * @throws IllegalStateException off main, or after {@link #close()}
   */
  public void set(Function<Dispatcher, T> initializer) {
    Objects.requireNonNull(initializer, "initializer");
    checkUsable("set()");
    Dispatcher main = slots.main();
    slots.mainStorage().put(index, initializer.apply(main));
    for (Dispatcher worker : slots.workers()) {
      ThreadSlots.Storage storage = slots.storageOf(worker);
      // Build the worker's value here, for that worker; the worker only stores it.
      T value = initializer.apply(worker);
      worker.post(ThreadSlots.labelled("slot " + index + " set", () -> {
        if (!closed) { // a closed slot's pending callbacks never run
          storage.put(index, value);
        }
      }));
    }
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
  @SuppressWarnings("unchecked")
  public void runOnAllThreads(Consumer<T> callback, Runnable completion) {
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(completion, "completion");
    checkUsable("runOnAllThreads()");
    Dispatcher main = slots.main();
    callback.accept((T) slots.mainStorage().get(index));
    List<Dispatcher> workers = slots.workers();
    if (workers.isEmpty()) {
      main.post(ThreadSlots.labelled("slot " + index + " runOnAllThreads completion", () -> {
        if (!closed) {
          completion.run();
        }
      }));
      return;
    }
    CompletionBarrier barrier = new CompletionBarrier(workers.size());
    inFlight.add(barrier);
    Runnable complete = ThreadSlots.labelled("slot " + index + " runOnAllThreads completion",
        () -> {
          inFlight.remove(barrier);
          // The last arrival may have won against close()'s cancel: look again, on main.
          if (!closed) {
            completion.run();
          }
        });
    for (int i = 0; i < workers.size(); i++) {
      int party = i;
      ThreadSlots.Storage storage = slots.storageOf(workers.get(i));
      workers.get(i).post(ThreadSlots.labelled("slot " + index + " runOnAllThreads", () -> {
        if (closed) {
          return; // never arrives, so a cancelled barrier stays incomplete
        }
        try {
          callback.accept((T) storage.get(index));
        } finally {
          // After the callback, even one that threw: arriving first would let main run the
          // completion while this worker is still inside the callback.
          if (barrier.arrive(party)) {
            main.post(complete);
          }
        }
      }));
    }
  }

  /**
   * Closes the slot: the callbacks it posted and that have not started never run, nor do the
   * completions still due; main's value is dropped now, and each worker drops its own on its
   * own loop, each closing its value if it is {@link AutoCloseable}; the index is free for the
   * next {@link ThreadSlots#allocateSlot()}. Main-only. Idempotent.
   */
  @Override
  public void close() {
    slots.checkMain("slot " + index + " close()");
    if (closed) {
      return;
    }
    closed = true;
    for (CompletionBarrier barrier : inFlight) {
      barrier.cancel(); // arrivals still to come post nothing
    }
    inFlight.clear();
    drop(slots.mainStorage(), index);
    for (Dispatcher worker : slots.workers()) {
      ThreadSlots.Storage storage = slots.storageOf(worker);
      // Posted after every callback this slot posted to the worker, and before any set() of a
      // slot that reuses the index: a worker's posts from main run in the order posted.
      worker.post(ThreadSlots.labelled("slot " + index + " close", () -> drop(storage, index)));
    }
    slots.free(index);
  }

  /** The storage index, reused once the slot is closed. Safe from any thread. */
  public int index() {
    return index;
  }

  @Override
  public String toString() {
    return "ThreadSlot[" + index + (closed ? ", closed" : "") + "]";
  }

  private void checkUsable(String what) {
    slots.checkMain("slot " + index + " " + what);
    if (closed) {
      throw new IllegalStateException("slot " + index + " is closed: cannot call " + what);
    }
  }

  private static void drop(ThreadSlots.Storage storage, int index) {
    Object value = storage.remove(index);
    if (value instanceof AutoCloseable) {
      try {
        ((AutoCloseable) value).close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing the value of slot " + index + " threw "
            + e, e);
      }
    }
  }
}
