package io.kallisto.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link WorkerPool} of {@link ThreadedWorker}s. */
final class ThreadedWorkerPool extends RoundRobinWorkerPool<ThreadedWorker> {
  ThreadedWorkerPool(int n, DispatcherFactory factory) {
    super(make(n, factory));
  }

  private static List<ThreadedWorker> make(int n, DispatcherFactory factory) {
    Objects.requireNonNull(factory, "factory");
    List<ThreadedWorker> made = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        made.add((ThreadedWorker) Worker.create("worker-" + i, factory));
      }
    } catch (RuntimeException e) {
      made.forEach(Worker::stop); // closes the dispatchers already made
      throw e;
    }
    return made;
  }

  // WorkerPool

  @Override
  public void stop() {
    // Ask all to exit first, from this thread (as a simulated pool does), so they drain in
    // parallel; then wait for each.
    List<ThreadedWorker> started = new ArrayList<>();
    for (ThreadedWorker w : members()) {
      if (w.requestStop()) {
        started.add(w);
      }
    }
    started.forEach(ThreadedWorker::awaitStopped);
  }
}
