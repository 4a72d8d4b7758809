package io.kallisto.event;

import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.trace.NamedTask;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Worker} on a platform thread of its own. */
final class ThreadedWorker implements Worker {
  /** Iterations spent draining posts after exit; a callback that re-posts forever is cut off. */
  private static final int DRAIN_LIMIT = 10_000;

  private final String name;
  private final Dispatcher dispatcher;
  private final Thread thread;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final AtomicLong requests = new AtomicLong();
  private final Object lifecycle = new Object();
  private volatile Throwable failure;
  /** The thread's kernel id once it runs (Linux), or -1. */
  private volatile int tid = -1;
  private volatile boolean lowered;
  private boolean started;
  private boolean stopped;

  ThreadedWorker(String name, DispatcherFactory factory) {
    this.name = Objects.requireNonNull(name, "name");
    this.dispatcher = factory.create(name);
    this.thread = new Thread(this::runLoop, name);
  }

  // Worker

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (started || stopped) {
        throw new IllegalStateException("worker '" + name + "' was already "
            + (stopped ? "stopped" : "started") + "; create a new one");
      }
      started = true;
    }
    // The loop's first post batch runs this, so ready means the loop is really turning.
    dispatcher.post(NamedTask.of(LOOP_STARTED, ready::countDown));
    thread.start();
  }

  @Override
  public void awaitReady() {
    synchronized (lifecycle) {
      if (!started) {
        throw new IllegalStateException("worker '" + name + "' was not started");
      }
    }
    Uninterruptibly.await(ready);
    Throwable f = failure;
    if (f != null) {
      throw new IllegalStateException("worker '" + name + "' loop failed: " + f, f);
    }
  }

  @Override
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public void post(Runnable request) {
    // Counted before the post: once queued, the request may run, and whoever it signals may read
    // requestCount(), before this thread gets to count it (the race RequestServerHandler had).
    requests.incrementAndGet();
    try {
      dispatcher.post(request);
    } catch (RuntimeException refused) {
      requests.decrementAndGet(); // never queued, so never a request
      throw refused;
    }
  }

  @Override
  public long requestCount() {
    return requests.get();
  }

  @Override
  public void stop() {
    if (requestStop()) {
      Uninterruptibly.join(thread);
    }
  }

  /**
   * The first half of {@link #stop()}: posts the exit from the calling thread (so a trace shows
   * it there) and returns whether the thread must still be joined.
   */
  boolean requestStop() {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("worker '" + name + "': stop() called on the worker's own"
          + " thread would wait for itself; call it from another thread, or exit() the"
          + " dispatcher");
    }
    boolean wasStarted;
    synchronized (lifecycle) {
      if (stopped) {
        return false;
      }
      stopped = true;
      wasStarted = started;
    }
    if (!wasStarted) {
      dispatcher.close();
      return false;
    }
    try {
      // FIFO: everything posted before this exit runs before the loop leaves.
      dispatcher.post(NamedTask.of(LOOP_EXIT, dispatcher::exit));
    } catch (IllegalStateException alreadyClosed) {
      // The loop was exited directly and has closed its dispatcher; joining is all that's left.
    }
    return true;
  }

  /** The second half of {@link #stop()}: waits for the loop's thread to end. */
  void awaitStopped() {
    Uninterruptibly.join(thread);
  }

  @Override
  public void lowerPriority() {
    lowered = true;
    lowerIfKnown(); // or, if the thread has not yet learned its id, it does so as it starts
  }

  private void lowerIfKnown() {
    int id = tid;
    if (id > 0 && LinuxNative.isAvailable()) {
      try {
        LinuxNative.lowestPriority(id);
      } catch (NativeException e) {
        // Only the scheduling of a run being cut is at stake: it stops anyway, a little later.
      }
    }
  }

  private void runLoop() {
    if (LinuxNative.isAvailable()) {
      tid = LinuxNative.currentThreadId();
      if (lowered) {
        lowerIfKnown();
      }
    }
    try {
      dispatcher.run(RunType.RUN_UNTIL_EXIT);
      // Callbacks that ran before the exit may have posted more; run those too.
      for (int i = 0; i < DRAIN_LIMIT && dispatcher.hasPendingPosts(); i++) {
        dispatcher.run(RunType.NON_BLOCK);
      }
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      ready.countDown();
      dispatcher.close();
    }
  }
}
