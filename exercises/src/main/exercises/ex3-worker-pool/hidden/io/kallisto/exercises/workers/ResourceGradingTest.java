package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.ResourceProbe;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: what a stopped worker leaves behind (threads, dispatchers, fds, counted
 * by the test) and how its stop() waits (parked, not spinning: measured with the thread's CPU
 * time, states and wakeups while the test holds the drain).
 */
@ExtendWith(TraceOnFailure.class)
class ResourceGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(40);
  private static final Duration READY = Duration.ofSeconds(10);

  @Test
  @Points(4)
  void stopReleasesEveryThreadDispatcherAndFdTheWorkersMade() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        oneCycle(b, new InstrumentedFactory(b)); // warm-up: classes loaded, jars opened
        ResourceProbe.Snapshot before = ResourceProbe.snapshot();
        List<InstrumentedFactory> factories = new ArrayList<>();
        Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
        for (int cycle = 0; cycle < 2; cycle++) {
          InstrumentedFactory f = new InstrumentedFactory(b);
          factories.add(f);
          workerThreads.addAll(oneCycle(b, f));
        }
        List<String> problems = new ArrayList<>();
        for (Thread t : workerThreads) {
          if (t.isAlive()) {
            problems.add("worker thread '" + t.getName() + "' still alive when stop() returned");
          }
        }
        int made = 0;
        for (InstrumentedFactory f : factories) {
          for (InstrumentedFactory.Instrumented d : f.created()) {
            made++;
            if (d.closes() == 0) {
              problems.add("dispatcher '" + d.name() + "' never closed");
            }
          }
        }
        problems.addAll(before.leaksSince(Duration.ofSeconds(5)));
        assertTrue(problems.isEmpty(), b + ": expected 2 rounds of (a pool of 3 started, used"
            + " and stopped, a worker stopped while NEW, a worker started and stopped) to"
            + " release everything they made (" + made + " dispatchers) once stop() returned;"
            + " left: " + problems);
      });
    }
  }

  /** A pool and two workers made, used and stopped; returns the worker threads seen. */
  private static Set<Thread> oneCycle(Backend b, InstrumentedFactory f) throws Exception {
    Set<Thread> seen = ConcurrentHashMap.newKeySet();
    RoundRobinPool pool = new RoundRobinPool(3, f, new RecordingErrors());
    LoopWorker never = new LoopWorker("worker-never", f, new RecordingErrors());
    LoopWorker once = new LoopWorker("worker-once", f, new RecordingErrors());
    try {
      pool.start();
      CountDownLatch ran = new CountDownLatch(30);
      for (int i = 0; i < 30; i++) {
        assertTrue(pool.dispatch(() -> {
          seen.add(Thread.currentThread());
          ran.countDown();
        }), b + ": expected dispatch " + i + " accepted");
      }
      assertTrue(ran.await(10, TimeUnit.SECONDS), b + ": expected 30 requests run in 10 s");
      once.start();
      assertTrue(once.awaitReady(READY), b + ": expected the worker ready within 10 s");
      assertTrue(once.offer(() -> seen.add(Thread.currentThread())), b + ": expected the"
          + " request accepted");
      assertEquals(new RequestCounts(30, 30, 0, 0), pool.stop(), b + ": pool counts");
      assertEquals(new RequestCounts(1, 1, 0, 0), once.stop(), b + ": worker counts");
      assertEquals(RequestCounts.NONE, never.stop(), b + ": a NEW worker's counts");
    } finally {
      Waits.stopQuietly(pool);
      Waits.stopQuietly(once);
      Waits.stopQuietly(never);
    }
    return seen;
  }

  @Test
  @Points(3)
  void aStopWaitingForTheDrainParksInsteadOfSpinning() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      LoopWorker w = new LoopWorker("worker-idle", b.factory(), new RecordingErrors());
      Blocker blocker = new Blocker();
      try {
        w.start();
        assertTrue(w.awaitReady(READY), "expected the worker ready within 10 s");
        assertTrue(w.offer(blocker), "expected the blocking request accepted");
        blocker.awaitRunning("worker-idle");
        Thread stopper = new Thread(w::stop, "stopper");
        stopper.start();
        Waits.untilState(w, WorkerState.DRAINING, "stop() called while a request runs");
        String spun = idleWhileHeld(stopper);
        blocker.release();
        assertNull(spun, "expected stop() to wait for the drain parked (on a latch, a lock or"
            + " a join) while the test held the last request for 0.5 s, but the stopping"
            + " thread " + spun + ": a busy-wait (a loop on the state, with or without yield or"
            + " a short sleep)");
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "expected stop() to return within 10 s of the drain");
      } finally {
        blocker.release();
        Waits.stopQuietly(w);
      }
    });
  }

  @Test
  @Points(2)
  void aPoolStopWaitingForItsWorkersParksInsteadOfSpinning() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      RoundRobinPool pool = new RoundRobinPool(2, b.factory(), new RecordingErrors());
      List<Blocker> blockers = List.of(new Blocker(), new Blocker());
      try {
        pool.start();
        for (Blocker blocker : blockers) {
          assertTrue(pool.dispatch(blocker), "expected the blocking request accepted");
          blocker.awaitRunning("a pool worker");
        }
        Thread stopper = new Thread(pool::stop, "pool-stopper");
        stopper.start();
        for (int i = 0; i < 2; i++) {
          Waits.untilState(pool.worker(i), WorkerState.DRAINING, "the pool's stop() called");
        }
        String spun = idleWhileHeld(stopper);
        blockers.forEach(Blocker::release);
        assertNull(spun, "expected the pool's stop() to wait for its workers parked while the"
            + " test held a request on each for 0.5 s, but the stopping thread " + spun);
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "expected the pool's stop() to return within 10 s");
      } finally {
        blockers.forEach(Blocker::release);
        Waits.stopQuietly(pool);
      }
    });
  }

  /**
   * Null if {@code t} waited like a parked thread for 0.5 s; else how it did not. A waiting
   * thread is looked at 50 times: it may be RUNNABLE for a moment as it gets to its wait, and
   * it wakes up a few times at most (a lock handed over, a spurious wakeup).
   */
  private static String idleWhileHeld(Thread t) {
    // Let the stopping thread get into its wait: its own first steps are not the point.
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (t.getState() == Thread.State.RUNNABLE && System.nanoTime() - giveUp < 0) {
      Thread.yield();
    }
    return ResourceProbe.watch(t, 50, 10).spinning(100, 10);
  }
}
