package io.kallisto.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link WorkerPool} of {@link ThreadedWorker}s. */
final class ThreadedWorkerPool implements WorkerPool {
  private final Worker[] workers;
  private final AtomicLong next = new AtomicLong();

  ThreadedWorkerPool(int n, DispatcherFactory factory) {
    Objects.requireNonNull(factory, "factory");
    workers = new Worker[n];
    List<Worker> made = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        workers[i] = Worker.create("worker-" + i, factory);
        made.add(workers[i]);
      }
    } catch (RuntimeException e) {
      made.forEach(Worker::stop); // closes the dispatchers already made
      throw e;
    }
  }

  // WorkerPool

  @Override
  public void start() {
    for (Worker w : workers) {
      w.start();
    }
    for (Worker w : workers) {
      w.awaitReady();
    }
  }

  @Override
  public int size() {
    return workers.length;
  }

  @Override
  public Worker worker(int index) {
    if (index < 0 || index >= workers.length) {
      throw new IndexOutOfBoundsException("worker index=" + index + ", pool size=" + workers.length);
    }
    return workers[index];
  }

  @Override
  public void dispatch(Runnable request) {
    workers[(int) Long.remainderUnsigned(next.getAndIncrement(), workers.length)].post(request);
  }

  @Override
  public long totalRequests() {
    long total = 0;
    for (Worker w : workers) {
      total += w.requestCount();
    }
    return total;
  }

  @Override
  public void stop() {
    // Ask all to exit first, from this thread (as a simulated pool does), so they drain in
    // parallel; then wait for each.
    List<ThreadedWorker> started = new ArrayList<>();
    for (Worker w : workers) {
      if (((ThreadedWorker) w).requestStop()) {
        started.add((ThreadedWorker) w);
      }
    }
    started.forEach(ThreadedWorker::awaitStopped);
  }
}
