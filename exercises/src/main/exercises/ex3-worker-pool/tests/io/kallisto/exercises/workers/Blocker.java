package io.kallisto.exercises.workers;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request that holds its worker's thread until the test releases it: what is offered while it
 * runs queues behind it. It gives up after 60 s, so that a failing test cannot hang a worker
 * forever.
 */
final class Blocker implements Runnable {
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean finished;

  @Override
  public void run() {
    entered.countDown();
    try {
      released.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    finished = true;
  }

  /** Waits (10 s at most) until the worker runs this request; fails the test otherwise. */
  void awaitRunning(String context) throws InterruptedException {
    if (!entered.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError(context + ": expected the worker to run the accepted request"
          + " within 10 s, but it did not start");
    }
  }

  /** Lets the request return. */
  void release() {
    released.countDown();
  }

  /** True once the request has returned. */
  boolean finished() {
    return finished;
  }
}
