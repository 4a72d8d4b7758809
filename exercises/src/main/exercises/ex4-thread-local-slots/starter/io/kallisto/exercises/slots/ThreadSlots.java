package io.kallisto.exercises.slots;

import io.kallisto.event.Dispatcher;
import java.util.List;

/**
 * YOUR thread-local storage for one main dispatcher and a fixed set of worker dispatchers:
 * Envoy's {@code ThreadLocal::Instance}. Each dispatcher keeps its own value of every
 * {@link ThreadSlot}; the main dispatcher changes them by posting to the workers, so that
 * {@link ThreadSlot#get()} never takes a lock.
 *
 * <p><b>Threads.</b> The constructor, {@link #main()}, {@link #workers()} and
 * {@link #workerCount()} are safe from any thread. {@link #allocateSlot()}, like the
 * {@link ThreadSlot} methods that change values, is <em>main-only</em>: it may be called where
 * the main dispatcher's loop-only methods may be ({@code main.isThreadSafe()}) and not from
 * inside another dispatcher's callbacks ({@code Dispatchers.current()} is null or main);
 * elsewhere it throws {@link IllegalStateException}. "Main" is a dispatcher, not a Java thread:
 * the same code must work on real loops, each on its own thread, and on simulated loops
 * ({@code io.kallisto.sim}), which all share one Java thread.
 *
 * <pre>{@code
 * ThreadSlots slots = new ThreadSlots(main, List.of(worker0, worker1));
 * ThreadSlot<Config> config = slots.allocateSlot();     // on main
 * config.set(dispatcher -> new Config(version));        // inline on main, then on each worker
 * config.runOnAllThreads(Config::apply, () -> log("applied everywhere"));  // log: on main, last
 * }</pre>
 *
 * <p>The package-private parts (fields, helpers for {@link ThreadSlot}) are yours to design.
 */
public final class ThreadSlots {

  /**
   * Storage for {@code main} and each of {@code workers}. Safe from any thread; create it before
   * the loops use it.
   *
   * @throws IllegalArgumentException if a dispatcher appears twice (main among the workers
   *     included), or there are more than {@link CompletionBarrier#MAX_PARTIES} workers
   */
  public ThreadSlots(Dispatcher main, List<? extends Dispatcher> workers) {
    throw new UnsupportedOperationException("TODO: ThreadSlots(main, workers): a storage per"
        + " dispatcher, found again from Dispatchers.current()");
  }

  /** The main dispatcher: the one that runs inline calls and completions. */
  public Dispatcher main() {
    throw new UnsupportedOperationException("TODO: main()");
  }

  /** The worker dispatchers, in the order given (unmodifiable). */
  public List<Dispatcher> workers() {
    throw new UnsupportedOperationException("TODO: workers()");
  }

  /** The number of workers. */
  public int workerCount() {
    throw new UnsupportedOperationException("TODO: workerCount()");
  }

  /**
   * A new slot, using the lowest index a closed slot freed, or else the next new one (0, 1, 2,
   * ...). Its value is {@code null} on every dispatcher until a {@link ThreadSlot#set} reaches
   * it. Main-only.
   */
  public <T> ThreadSlot<T> allocateSlot() {
    throw new UnsupportedOperationException("TODO: allocateSlot(): reuse the lowest freed index");
  }
}
