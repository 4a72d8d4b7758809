package io.kallisto.exercises.postqueue;

import java.util.concurrent.CountDownLatch;
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

  /**
   * Waits for {@code done} to reach zero while it keeps moving: gives up when the count has not
   * changed for {@code stallMillis} (longer than {@link #SAFETY_MILLIS}, so a loop that lost a
   * wakeup has recovered by then), or after {@code maxMillis} in all. True if it reached zero.
   */
  static boolean awaitWhileProgressing(CountDownLatch done, long stallMillis, long maxMillis)
      throws InterruptedException {
    long start = System.nanoTime();
    long lastCount = done.getCount();
    long lastChange = start;
    while (!done.await(20, TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      long count = done.getCount();
      if (count != lastCount) {
        lastCount = count;
        lastChange = now;
      } else if (now - lastChange > TimeUnit.MILLISECONDS.toNanos(stallMillis)
          || now - start > TimeUnit.MILLISECONDS.toNanos(maxMillis)) {
        return false;
      }
    }
    return true;
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
