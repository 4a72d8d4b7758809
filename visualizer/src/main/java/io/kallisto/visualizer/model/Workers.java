package io.kallisto.visualizer.model;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs independent pieces of a load (one thread's blocks, one lane's rows, one side of the
 * requests) on a few threads at once: the calling thread and up to {@code workers - 1} more,
 * started for the call and ended with it, each taking the next piece left. One worker runs them
 * all on the calling thread, in order. Pieces must not touch each other's data.
 */
final class Workers {
  /**
   * The system property that sets how many threads load a trace: 1 loads on the calling thread
   * alone; unset or 0, one per available processor.
   */
  static final String THREADS_PROPERTY = "kallisto.load.threads";

  private Workers() {}

  /** The workers {@link #THREADS_PROPERTY} asks for, or one per available processor. */
  static int count() {
    int cpus = Runtime.getRuntime().availableProcessors();
    String asked = System.getProperty(THREADS_PROPERTY, "0").trim();
    try {
      int n = Integer.parseInt(asked);
      return n > 0 ? n : cpus;
    } catch (NumberFormatException e) {
      return cpus; // a bad setting loads as if unset, rather than not at all
    }
  }

  /**
   * Runs every piece, on up to {@code workers} threads, and returns when all are done. The first
   * failure (a {@link io.kallisto.trace.TraceFormatException}, an I/O error) is rethrown here as
   * it was, once the others have stopped; pieces not yet started are then not run. An interrupt
   * of the calling thread does not stop the pieces: it is kept for the caller.
   */
  static void run(int workers, List<Runnable> pieces) {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable work = () -> {
      for (int i = next.getAndIncrement(); i < pieces.size() && failure.get() == null;
          i = next.getAndIncrement()) {
        try {
          pieces.get(i).run();
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
      }
    };
    Thread[] pool = new Thread[Math.max(0, Math.min(workers, pieces.size()) - 1)];
    for (int w = 0; w < pool.length; w++) {
      pool[w] = new Thread(work, "trace-loader-" + (w + 1));
      pool[w].setDaemon(true);
      pool[w].start();
    }
    work.run(); // the calling thread is a worker too
    boolean interrupted = false;
    for (Thread t : pool) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true; // the pieces end on their own; the model is finished first
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    } else if (e != null) {
      throw (Error) e;
    }
  }
}
