package io.kallisto.exercises.unblock;

import io.kallisto.net.RequestFrameDescriptor;
import java.util.concurrent.locks.LockSupport;

/**
 * The slow work behind the service's CPU and SLEEP requests: a computation, or a call to a
 * dependency that blocks (a database, a remote lookup, a disk read). Given: do not change it.
 *
 * <p><b>Threads.</b> Safe from any thread, and blocking: the calling thread waits until the work
 * is done. That is why it must never be called on an event loop's thread, where every other
 * connection of that loop would wait too.
 *
 * <pre>{@code
 * long spent = backend.serve(RequestFrameDescriptor.KIND_SLEEP, 40_000_000L); // ~40 ms
 * }</pre>
 */
public interface Backend {
  /**
   * Does what a request of {@code kind} asks for {@code serviceNanos}, blocking the calling thread
   * meanwhile, and returns the nanoseconds it took: {@link RequestFrameDescriptor#KIND_CPU}
   * computes, {@link RequestFrameDescriptor#KIND_SLEEP} waits for a slow dependency.
   *
   * @throws IllegalArgumentException for any other kind
   * @throws RuntimeException if the work fails (the dependency is down, say)
   */
  long serve(int kind, long serviceNanos);

  /** Real work on the real clock: a busy spin for CPU, a parked thread for SLEEP. */
  Backend REAL = (kind, serviceNanos) -> {
    long start = System.nanoTime();
    switch (kind) {
      case RequestFrameDescriptor.KIND_CPU:
        while (System.nanoTime() - start < serviceNanos) {
          Thread.onSpinWait();
        }
        break;
      case RequestFrameDescriptor.KIND_SLEEP:
        long left;
        while ((left = serviceNanos - (System.nanoTime() - start)) > 0) {
          LockSupport.parkNanos(left);
        }
        break;
      default:
        throw new IllegalArgumentException("kind=" + kind + "; the backend serves KIND_CPU ("
            + RequestFrameDescriptor.KIND_CPU + ") and KIND_SLEEP ("
            + RequestFrameDescriptor.KIND_SLEEP + ")");
    }
    return System.nanoTime() - start;
  };
}
