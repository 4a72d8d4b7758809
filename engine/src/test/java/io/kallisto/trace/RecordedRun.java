package io.kallisto.trace;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.event.WorkerPool;
import io.kallisto.threadlocal.Slot;
import io.kallisto.threadlocal.ThreadLocalInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A real traced run for the tools that read traces: a two-worker pool takes posts, worker 0
 * fires a 1 ms timer, a slot update goes from the main loop to both workers and back, and the
 * test thread adds a mark, a counter and a span.
 */
public final class RecordedRun {
  /** Posts dispatched to the pool. */
  public static final int POSTS = 200;

  private RecordedRun() {}

  /** A slot on {@code main} (the main thread) and on every worker of {@code pool}. */
  public static Slot<String> slotOnEveryLoop(Dispatcher main, WorkerPool pool) {
    ThreadLocalInstance tls = ThreadLocalInstance.create();
    tls.registerThread(main, true);
    for (int i = 0; i < pool.size(); i++) {
      tls.registerThread(pool.worker(i).dispatcher(), false);
    }
    return tls.allocateSlot();
  }

  /** Records the run into {@code file} and returns it. Waits with latches, never sleeps. */
  public static Path record(Path file) throws InterruptedException {
    TraceSession session = Tracing.start(file, TraceOptions.defaults().scenario("recorded-run"));
    long start = session.now();
    WorkerPool pool = WorkerPool.create(2);
    pool.start();
    try (Dispatcher main = Dispatchers.create("main")) {
      Slot<String> slot = slotOnEveryLoop(main, pool);
      slot.set(d -> "v1");

      CountDownLatch ran = new CountDownLatch(POSTS);
      for (int i = 0; i < POSTS; i++) {
        pool.dispatch(ran::countDown);
      }
      ran.await();

      Dispatcher worker = pool.worker(0).dispatcher();
      CountDownLatch fired = new CountDownLatch(1);
      worker.post(() -> worker.createTimer(fired::countDown).enable(Duration.ofMillis(1)));
      fired.await();

      Tracing.mark("config push");
      Tracing.counter("pushes", 1);
      slot.runOnAllThreads(v -> { }, main::exit);
      main.run(RunType.RUN_UNTIL_EXIT);
    }
    pool.stop();
    Tracing.span("recorded run", start);
    Tracing.stop();
    return file;
  }
}
