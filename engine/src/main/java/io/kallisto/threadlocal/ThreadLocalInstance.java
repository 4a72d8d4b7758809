package io.kallisto.threadlocal;

import io.kallisto.event.Dispatcher;

/**
 * The registry of threads and slots behind {@link Slot}: Envoy's {@code ThreadLocal::Instance}
 * (source/common/thread_local/thread_local_impl.cc; differences in docs/envoy-fidelity.md).
 * The thread that creates it is the main thread; every method but {@link #shutdownThread()} and
 * {@link #registeredThreadCount()} must be called there, and throws
 * {@link IllegalStateException} elsewhere.
 *
 * <pre>{@code
 * ThreadLocalInstance tls = ThreadLocalInstance.create();
 * tls.registerThread(mainDispatcher, true);
 * for (int i = 0; i < pool.size(); i++) tls.registerThread(pool.worker(i).dispatcher(), false);
 * Slot<Stats> stats = tls.allocateSlot();
 * ...
 * tls.shutdownGlobalThreading();                  // no more posts to workers
 * pool.worker(0).post(tls::shutdownThread);       // each thread destroys its own values
 * tls.shutdownThread();                           // and the main thread its own
 * }</pre>
 */
public interface ThreadLocalInstance {
  /** Creates an instance whose main thread is the calling thread. */
  static ThreadLocalInstance create() {
    return new ThreadLocalInstanceImpl();
  }

  /**
   * Registers a thread by its dispatcher. Exactly one registration is the main thread's
   * ({@code mainThread == true}, its dispatcher used for completions); the others are workers.
   * Main thread only.
   *
   * @throws IllegalStateException if {@code dispatcher} is registered already, or a second main
   *     dispatcher is given
   */
  void registerThread(Dispatcher dispatcher, boolean mainThread);

  /** The number of registered threads, the main thread included. Safe from any thread. */
  int registeredThreadCount();

  /** Allocates a slot, reusing the lowest freed index. Main thread only. */
  <T> Slot<T> allocateSlot();

  /**
   * Allocates a slot named {@code name} for traces: its updates on the workers are labelled
   * {@code "slot update NAME"} rather than by index. Main thread only.
   */
  default <T> Slot<T> allocateSlot(String name) {
    return allocateSlot();
  }

  /**
   * Runs {@code callback} inline on the main thread, then by post on every worker, and posts
   * {@code completion} to the main dispatcher after the last worker ran it. Main thread only.
   */
  void runOnAllThreads(Runnable callback, Runnable completion);

  /**
   * Stops all cross-thread traffic: from now on {@code set} and {@code runOnAllThreads} throw.
   * Call before the workers stop. Main thread only.
   */
  void shutdownGlobalThreading();

  /**
   * Destroys the calling thread's values in reverse slot order, closing those that are
   * {@link AutoCloseable}. Called once on each registered thread (on workers, from a posted
   * callback), after {@link #shutdownGlobalThreading()}.
   */
  void shutdownThread();
}
