package io.kallisto.exercises.unblock;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Backend} whose calls wait at a gate until the test lets them through, so a test can
 * hold a slow request "in the backend" for exactly as long as it needs, with no timing guesses.
 * It records who called it: the threads, how many calls ran at once, and any call made on an
 * event loop's thread. Part of the tests.
 *
 * <pre>{@code
 * GatedBackend backend = new GatedBackend();
 * ... send a SLEEP request ...
 * assertTrue(backend.awaitEntered(1, Duration.ofSeconds(10)));  // it is in the backend now
 * ... check what must happen meanwhile ...
 * backend.open();                                               // let every call finish
 * }</pre>
 *
 * <p>Every method is safe from any thread. A call returns its {@code serviceNanos} as the time
 * spent.
 */
final class GatedBackend implements Backend {
  private final Object lock = new Object();
  private final Set<String> threads = new LinkedHashSet<>();
  private final List<String> onLoop = new ArrayList<>();
  private int entered;
  private int running;
  private int maxRunning;
  private int permits;
  private boolean open;

  @Override
  public long serve(int kind, long serviceNanos) {
    Dispatcher loop = Dispatchers.current();
    synchronized (lock) {
      entered++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      threads.add(Thread.currentThread().getName());
      if (loop != null) {
        onLoop.add("kind " + kind + " on loop '" + loop.name() + "'");
      }
      lock.notifyAll();
      try {
        while (!open && permits == 0) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the gate", e);
      } finally {
        running--;
      }
      if (!open) {
        permits--;
      }
      return serviceNanos;
    }
  }

  /** Waits until {@code n} calls have entered (in all); false on timeout. */
  boolean awaitEntered(int n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (entered < n) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Lets {@code n} more calls through the gate, waiting or yet to come. */
  void release(int n) {
    synchronized (lock) {
      permits += n;
      lock.notifyAll();
    }
  }

  /** Opens the gate for good: every call, now and later, goes straight through. */
  void open() {
    synchronized (lock) {
      open = true;
      lock.notifyAll();
    }
  }

  /** Calls that have entered so far. */
  int entered() {
    synchronized (lock) {
      return entered;
    }
  }

  /** The most calls that were inside at once. */
  int maxRunning() {
    synchronized (lock) {
      return maxRunning;
    }
  }

  /** The names of the threads that called, in order of first call. */
  Set<String> threads() {
    synchronized (lock) {
      return new LinkedHashSet<>(threads);
    }
  }

  /** Calls made on an event loop's thread, described; empty if none. */
  List<String> callsOnALoop() {
    synchronized (lock) {
      return new ArrayList<>(onLoop);
    }
  }
}
