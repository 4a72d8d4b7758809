package io.kallisto.exercises.slots;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherFactory;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.Worker;
import io.kallisto.event.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A main loop and {@code n} worker loops on real threads ({@code main}, {@code worker-0}, ...),
 * each a {@link Worker} of the engine: what the tests run your slots on. Part of the tests; do
 * not change it.
 */
final class RealLoops implements AutoCloseable {
  /** The backends a real-thread test alternates between: epoll (where there is one) and NIO. */
  static final List<DispatcherFactory> BACKENDS = List.of(Dispatchers.best(), Dispatchers::nio);

  private final Worker main;
  private final WorkerPool pool;

  RealLoops(int workers, DispatcherFactory backend) {
    main = Worker.create("main", backend);
    pool = WorkerPool.create(workers, backend);
    main.start();
    pool.start();
    main.awaitReady();
    for (int i = 0; i < workers; i++) {
      pool.worker(i).awaitReady();
    }
  }

  Dispatcher main() {
    return main.dispatcher();
  }

  Dispatcher worker(int i) {
    return pool.worker(i).dispatcher();
  }

  List<Dispatcher> workers() {
    List<Dispatcher> list = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      list.add(pool.worker(i).dispatcher());
    }
    return list;
  }

  /** Runs {@code task} on main's loop and returns its result: how a test makes main-only calls. */
  <T> T onMain(Callable<T> task) {
    return Dispatchers.callOnLoop(main.dispatcher(), task);
  }

  /** Runs {@code task} on main's loop and waits for it. */
  void runOnMain(Runnable task) {
    onMain(() -> {
      task.run();
      return null;
    });
  }

  /**
   * Waits until every loop has run what was posted to it before this call, and main once more
   * after that: a post that a worker's earlier callback made to main has run by then.
   */
  void drain() {
    for (Dispatcher w : workers()) {
      Dispatchers.callOnLoop(w, () -> null);
    }
    onMain(() -> null);
  }

  /** Waits for {@code latch}, at most {@code seconds}; true if it opened. */
  static boolean await(CountDownLatch latch, int seconds) {
    try {
      return latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    pool.stop();
    main.stop();
  }
}
