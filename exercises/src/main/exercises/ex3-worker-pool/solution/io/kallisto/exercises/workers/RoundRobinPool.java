package io.kallisto.exercises.workers;

import io.kallisto.event.DispatcherFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link LifecyclePool} of {@link LoopWorker}s, dealt requests by one atomic ticket. */
public final class RoundRobinPool implements LifecyclePool {
  /** How long start() waits for each worker's loop; a healthy one takes milliseconds. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final LifecycleWorker[] workers;
  /** The next ticket; getAndIncrement gives every dispatch its own, whatever thread makes it. */
  private final AtomicLong next = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();

  /**
   * {@code size} NEW workers, {@code worker-0} to {@code worker-<size - 1>}.
   *
   * @param errors told about every request that throws, on that request's worker
   * @throws IllegalArgumentException if {@code size} is less than 1
   */
  public RoundRobinPool(int size, DispatcherFactory factory, RequestErrorHandler errors) {
    if (size < 1) {
      throw new IllegalArgumentException("size=" + size + "; a pool needs 1 or more workers");
    }
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(errors, "errors");
    workers = new LifecycleWorker[size];
    try {
      for (int i = 0; i < size; i++) {
        workers[i] = new LoopWorker("worker-" + i, factory, errors);
      }
    } catch (RuntimeException | Error e) {
      for (LifecycleWorker w : workers) {
        if (w != null) {
          w.stop(); // NEW: closes the dispatcher already made
        }
      }
      throw e;
    }
  }

  // LifecyclePool

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the pool was already started; create a new one");
    }
    for (LifecycleWorker w : workers) {
      w.start();
    }
    for (LifecycleWorker w : workers) {
      if (!w.awaitReady(READY_TIMEOUT)) {
        throw new IllegalStateException("worker '" + w.name() + "' did not become ready within "
            + READY_TIMEOUT.toSeconds() + " s");
      }
    }
  }

  @Override
  public int size() {
    return workers.length;
  }

  @Override
  public LifecycleWorker worker(int index) {
    if (index < 0 || index >= workers.length) {
      throw new IndexOutOfBoundsException("worker index=" + index + ", pool size="
          + workers.length);
    }
    return workers[index];
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
    for (LifecycleWorker w : workers) {
      total = total.plus(w.counts());
    }
    return total;
  }

  @Override
  public RequestCounts stop() {
    for (LifecycleWorker w : workers) {
      if (w.isWorkerThread()) {
        throw new IllegalStateException("pool stop() on '" + w.name() + "', one of the pool's"
            + " own workers, would wait for itself; call it from another thread");
      }
    }
    // Each worker's stop() returns only once it has drained; one thread each lets them drain
    // at the same time, this thread taking the first.
    RequestCounts[] counts = new RequestCounts[workers.length];
    Throwable[] failures = new Throwable[workers.length];
    Thread[] stoppers = new Thread[workers.length];
    for (int i = 1; i < workers.length; i++) {
      int index = i;
      stoppers[i] = new Thread(() -> {
        try {
          counts[index] = workers[index].stop();
        } catch (Throwable t) {
          failures[index] = t;
        }
      }, "stop-" + workers[i].name());
      stoppers[i].start();
    }
    counts[0] = workers[0].stop();
    RequestCounts total = counts[0];
    for (int i = 1; i < workers.length; i++) {
      LoopWorker.joinUninterruptibly(stoppers[i]);
      if (failures[i] != null) {
        throw new IllegalStateException("stopping '" + workers[i].name() + "' failed: "
            + failures[i], failures[i]);
      }
      total = total.plus(counts[i]);
    }
    return total;
  }
}
