package io.kallisto.threadlocal;

import io.kallisto.event.Dispatcher;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One index into every registered thread's local storage: Envoy's {@code ThreadLocal::Slot}
 * (source/common/thread_local/thread_local_impl.cc; differences in docs/envoy-fidelity.md).
 * Each dispatcher holds its own value; the main thread changes them all by posting to every
 * worker, so readers never take a lock.
 *
 * <p>{@link #get()} is called on any registered thread. Every other method is called on the main
 * thread only, and throws {@link IllegalStateException} elsewhere.
 *
 * <pre>{@code
 * Slot<Config> config = tls.allocateSlot();
 * config.set(dispatcher -> new Config(version));   // inline on main, posted to each worker
 * // on a worker, inside any callback:
 * Config c = config.get();                         // this worker's copy, no lock
 * }</pre>
 *
 * @param <T> the value type
 */
public interface Slot<T> extends AutoCloseable {
  /**
   * The value for the dispatcher running on the calling thread (or for the main thread, when
   * called there outside a run). {@code null} until a {@link #set} has reached this thread. A
   * plain array read after finding the running dispatcher's storage (a thread-local lookup and an
   * identity-map lookup): no lock.
   *
   * @throws IllegalStateException on a thread that is not registered, or after {@link #close()}
   */
  T get();

  /**
   * Gives every registered thread a value made by {@code initializer}, called with that
   * thread's dispatcher: inline on the main thread, then by a post to each worker, which builds
   * its value on its own thread. Main thread only.
   */
  void set(Function<Dispatcher, T> initializer);

  /**
   * Runs {@code callback} with each thread's value: inline on the main thread, then by post on
   * each worker. When the last worker has run it, {@code completion} is posted to the main
   * thread's dispatcher. Main thread only.
   */
  void runOnAllThreads(Consumer<T> callback, Runnable completion);

  /**
   * Frees the slot. Callbacks it has posted and not yet run never run; each thread drops its
   * value (closing it if it is {@link AutoCloseable}); the index is reused by the next
   * {@link ThreadLocalInstance#allocateSlot()}. Main thread only. Idempotent.
   */
  @Override
  void close();

  /** The storage index this slot uses, for diagnostics. */
  int index();
}
