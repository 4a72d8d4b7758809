package io.kallisto.event;

/**
 * Watches one fd for readiness on the {@link Dispatcher} that created it. The fd stays owned by
 * the caller: {@link #close()} stops watching it but does not close it.
 *
 * <p>Every method is loop-only: while a {@code run()} is in progress only the loop thread may
 * call it, and any other thread gets {@link IllegalStateException}.
 */
public interface FileEvent extends AutoCloseable {
  /**
   * Changes the {@link FileReadyType} bits watched. Zero stops reporting without unregistering.
   */
  void setEnabled(int events);

  /**
   * Makes the callback run on the next iteration with {@code events}, whether or not the fd is
   * ready, as if the kernel had reported them. Used to resume work that was deferred.
   */
  void activate(int events);

  /** Stops watching the fd. Idempotent. A callback already reported this iteration is skipped. */
  @Override
  void close();
}
