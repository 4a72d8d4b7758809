package io.kallisto.exercises.postqueue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal event loop around YOUR queue and gate, the way the engine's AbstractDispatcher uses
 * its own: a semaphore plays the eventfd. Part of the tests; do not change it.
 *
 * <p>The loop never waits forever: after {@link #SAFETY_MILLIS} it wakes by itself and, if a post
 * was waiting all that time, counts a lost wakeup.
 */
final class MiniLoop implements AutoCloseable {
  static final long SAFETY_MILLIS = 2_000;

  final LinkedPostQueue queue = new LinkedPostQueue();
  final WakeupGate gate = new WakeupGate();
  private final Semaphore eventfd = new Semaphore(0);
  final AtomicLong wakeupsWritten = new AtomicLong();
  /** prepareToSleep() calls: each may justify one wakeup, whether or not the loop then slept. */
  final AtomicLong sleepAttempts = new AtomicLong();
  final AtomicLong sleeps = new AtomicLong();
  final AtomicLong lostWakeups = new AtomicLong();
  final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stop;
  private final Thread thread;

  MiniLoop() {
    thread = new Thread(this::loop, "mini-loop");
    thread.setDaemon(true);
    thread.start();
  }

  /** Safe from any thread. */
  void post(Runnable task) {
    queue.offer(task);
    if (gate.onPost()) {
      wakeupsWritten.incrementAndGet();
      eventfd.release();
    }
  }

  private void loop() {
    try {
      while (!stop) {
        Runnable task;
        while ((task = queue.poll()) != null) {
          task.run();
        }
        sleepAttempts.incrementAndGet();
        if (gate.prepareToSleep(queue)) {
          sleeps.incrementAndGet();
          if (!eventfd.tryAcquire(SAFETY_MILLIS, TimeUnit.MILLISECONDS) && !queue.isEmpty()) {
            lostWakeups.incrementAndGet();
          }
        }
        gate.awake();
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  Thread thread() {
    return thread;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    eventfd.release();
    thread.join(10_000);
  }
}
