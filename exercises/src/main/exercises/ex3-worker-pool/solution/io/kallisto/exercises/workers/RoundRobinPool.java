package io.kallisto.exercises.workers;

import io.kallisto.event.DispatcherFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link LifecyclePool} of {@link LoopWorker}s, dealt requests by one atomic ticket. */
public final class RoundRobinPool implements LifecyclePool {
  /** How long start() waits for each worker's loop; a healthy one takes milliseconds. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final LoopWorker[] workers;
  /** The next ticket; getAndIncrement gives every dispatch its own, whatever thread makes it. */
  private final AtomicLong next = new AtomicLong();

  /**
   * {@code size} NEW workers, {@code worker-0} to {@code worker-<size - 1>}.
   *
   * @param errors told about every request that throws, on that request's worker
   * @throws IllegalArgumentException if {@code size} is less than 1
   * @throws RuntimeException whatever {@code factory} throws, after the dispatchers it had
   *     already made are closed: a pool that cannot be built leaks nothing
   */
  public RoundRobinPool(int size, DispatcherFactory factory, RequestErrorHandler errors) {
    if (size < 1) {
      throw new IllegalArgumentException("size=" + size + "; a pool needs 1 or more workers");
    }
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(errors, "errors");
    workers = new LoopWorker[size];
    try {
      for (int i = 0; i < size; i++) {
        workers[i] = new LoopWorker("worker-" + i, factory, errors);
      }
    } catch (RuntimeException | Error e) {
      for (LoopWorker w : workers) {
        if (w != null) {
          w.stop(); // NEW: closes the dispatcher already made
        }
      }
      throw e;
    }
  }

  // LifecyclePool

  /**
   * {@inheritDoc}
   *
   * <p>A second call fails at {@code worker-0}, whose own {@code start()} refuses to run twice,
   * before it has touched anything.
   */
  @Override
  public void start() {
    for (LoopWorker w : workers) {
      w.start();
    }
    for (LoopWorker w : workers) {
      if (!w.awaitReady(READY_TIMEOUT)) {
        throw new IllegalStateException("worker '" + w.name() + "' did not become ready: "
            + (Thread.currentThread().isInterrupted() ? "start() was interrupted"
                : "not within " + READY_TIMEOUT.toSeconds() + " s"));
      }
    }
  }

  @Override
  public int size() {
    return workers.length;
  }

  @Override
  public LifecycleWorker worker(int index) {
    // "Index 5 out of bounds for length 4": the index and the size, as the contract asks.
    return workers[Objects.checkIndex(index, workers.length)];
  }

  @Override
  public boolean dispatch(Runnable request) {
    Objects.requireNonNull(request, "request");
    long ticket = next.getAndIncrement();
    return workers[(int) Long.remainderUnsigned(ticket, workers.length)].offer(request);
  }

  @Override
  public RequestCounts counts() {
    RequestCounts total = RequestCounts.NONE;
    for (LoopWorker w : workers) {
      total = total.plus(w.counts());
    }
    return total;
  }

  @Override
  public RequestCounts stop() {
    for (LoopWorker w : workers) {
      if (w.isWorkerThread()) {
        throw new IllegalStateException("pool stop() on '" + w.name() + "', one of the pool's"
            + " own workers, would wait for itself; call it from another thread");
      }
    }
    // Every worker begins to drain before this waits for any: they drain at the same time.
    for (LoopWorker w : workers) {
      w.beginStop();
    }
    RequestCounts total = RequestCounts.NONE;
    for (LoopWorker w : workers) {
      total = total.plus(w.stop());
    }
    return total;
  }
}
