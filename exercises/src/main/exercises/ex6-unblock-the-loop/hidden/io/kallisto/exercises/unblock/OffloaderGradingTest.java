package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.Worker;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.net.RequestFrameDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests of {@link Offloader} on its own: the bound, exactly-once outcomes on the
 * right loop, failures, close. Work that must stay inside is held at a {@link GatedBackend}'s
 * gate, so every check is about what happened, never about how fast.
 */
@ExtendWith(TraceOnFailure.class)
class OffloaderGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(40);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int KIND = RequestFrameDescriptor.KIND_SLEEP;
  /** Samples in a row that must see a pool thread waiting in close() to call it stuck. */
  private static final int WAITING_SAMPLES = 5;

  private final List<Worker> loops = new ArrayList<>();
  private final List<String> threadDeaths = Collections.synchronizedList(new ArrayList<>());
  private Thread.UncaughtExceptionHandler previous;

  @BeforeEach
  void startLoops() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> threadDeaths.add("thread '"
        + t.getName() + "' died of " + e));
    for (int i = 0; i < 2; i++) {
      loops.add(startedLoop("loop-" + i));
    }
  }

  /** A loop of its own, running; the caller stops it. */
  private static Worker startedLoop(String name) {
    Worker w = Worker.create(name, Dispatchers.best());
    w.start();
    w.awaitReady();
    return w;
  }

  @AfterEach
  void stopLoops() {
    loops.forEach(Worker::stop);
    Thread.setDefaultUncaughtExceptionHandler(previous);
  }

  private Dispatcher loop(int i) {
    return loops.get(i).dispatcher();
  }

  /** Runs what loop {@code i} has queued so far, and what that posted. */
  private void flush(int i) {
    Dispatchers.callOnLoop(loop(i), () -> null);
    Dispatchers.callOnLoop(loop(i), () -> null);
  }

  @Test
  @Points(5)
  void atMostThreadsTasksRunAtOnceAndAtMostQueueCapacityWait() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      AtomicInteger reports = new AtomicInteger();
      int accepted = 0;
      try (Offloader offloader = new Offloader("bounded", 2, 3)) {
        try {
          for (int i = 0; i < 10; i++) {
            if (Promptly.offload(offloader, () -> gate.serve(KIND, 1), loop(0),
                (r, f) -> reports.incrementAndGet())) {
              accepted++;
            }
          }
          assertEquals(5, accepted, "expected 2 threads + 3 queued = 5 of 10 tasks accepted"
              + " while all are held; accepted " + accepted + " (" + gate.entered()
              + " running): " + (accepted > 5 ? "nothing bounds the work in flight"
                  : "the bound is too tight"));
          assertTrue(gate.awaitEntered(2, WAIT), "expected 2 tasks running within "
              + WAIT.toSeconds() + " s; " + gate.entered() + " started");
          // With only 2 threads no third task can start, however long we look.
          assertNull(awaitMore(gate, 2), "expected at most 2 tasks running at once with 2"
              + " threads; a third started: " + gate.threads());
        } finally {
          gate.open();
        }
      }
      flush(0);
      assertEquals(5, reports.get(), "expected each of the 5 accepted tasks reported once");
      assertTrue(gate.maxRunning() <= 2, "expected at most 2 tasks at once; saw "
          + gate.maxRunning() + " on " + gate.threads());
      assertTrue(gate.threads().size() <= 2, "expected the work done by the pool's 2 threads;"
          + " it ran on " + gate.threads().size() + ": " + gate.threads());
    });
  }

  /** Null if no more than {@code n} calls entered within 300 ms, else what entered. */
  private static String awaitMore(GatedBackend gate, int n) throws InterruptedException {
    return gate.awaitEntered(n + 1, Duration.ofMillis(300)) ? gate.entered() + " entered" : null;
  }

  @Test
  @Points(2)
  void aFullOffloaderAcceptsAgainOnceItsWorkIsDone() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      CountDownLatch reported = new CountDownLatch(2);
      try (Offloader offloader = new Offloader("refill", 1, 1)) {
        try {
          assertTrue(Promptly.offload(offloader, () -> gate.serve(KIND, 1), loop(0),
              (r, f) -> reported.countDown()), "expected the first task accepted");
          assertTrue(Promptly.offload(offloader, () -> gate.serve(KIND, 1), loop(0),
              (r, f) -> reported.countDown()), "expected the second task accepted (queued)");
          assertFalse(Promptly.offload(offloader, () -> 0L, loop(0), (r, f) -> { }),
              "expected a third refused while 1 runs and 1 waits");
          gate.open();
          assertTrue(reported.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
              "expected both accepted tasks reported within " + WAIT.toSeconds() + " s");
          CountDownLatch again = new CountDownLatch(1);
          assertTrue(offloader.offload(() -> 0L, loop(0), (r, f) -> again.countDown()),
              "expected work accepted again once the earlier work was done: a finished task"
                  + " must give its place back");
          assertTrue(again.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
              "expected the new task reported within " + WAIT.toSeconds() + " s");
        } finally {
          gate.open();
        }
      }
    });
  }

  @Test
  @Points(4)
  void everyAcceptedTaskIsReportedExactlyOnceOnItsOwnLoop() {
    int runs = 8;
    int producers = 3;
    int perProducer = 1500;
    List<String> failures = new ArrayList<>();
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int run = 0; run < runs && failures.size() < 3; run++) {
        String failure = oneExactlyOnceRun(producers, perProducer);
        if (failure != null) {
          failures.add("run " + (run + 1) + ": " + failure);
        }
      }
    }, "expected " + runs + " runs within " + LIMIT.toSeconds() + " s");
    assertTrue(failures.isEmpty(), "failed in " + failures.size() + " of the runs made (up to "
        + runs + ", stopping at the third failure); first: " + (failures.isEmpty() ? ""
            : failures.get(0)));
  }

  /** One run; null if every accepted task was reported once, on its loop; else the problem. */
  private String oneExactlyOnceRun(int producers, int perProducer) throws Exception {
    int total = producers * perProducer;
    AtomicIntegerArray reports = new AtomicIntegerArray(total);
    boolean[] accepted = new boolean[total];
    Map<String, Boolean> wrongLoop = new ConcurrentHashMap<>();
    AtomicInteger outcomes = new AtomicInteger();
    try (Offloader offloader = new Offloader("exact", 3, 16)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      for (int p = 0; p < producers; p++) {
        int first = p * perProducer;
        Thread t = new Thread(() -> {
          try {
            start.await();
            for (int k = first; k < first + perProducer; k++) {
              int task = k;
              Dispatcher target = loop(task % 2);
              accepted[task] = offloader.offload(() -> task, target, (r, f) -> {
                if (Dispatchers.current() != target) {
                  wrongLoop.put("task " + task + " reported on " + Thread.currentThread()
                      .getName() + ", not " + target.name(), true);
                }
                if (r == null || r != task || f != null) {
                  wrongLoop.put("task " + task + " reported (" + r + ", " + f + ")", true);
                } else {
                  reports.incrementAndGet(task);
                }
                outcomes.incrementAndGet();
              });
            }
          } catch (Throwable e) {
            thrown.compareAndSet(null, e);
          }
        }, "producer-" + p);
        threads.add(t);
        t.start();
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      if (thrown.get() != null) {
        return "offload() threw " + thrown.get();
      }
    }
    flush(0);
    flush(1);
    int acceptedCount = 0;
    for (int task = 0; task < total; task++) {
      int n = reports.get(task);
      if (accepted[task]) {
        acceptedCount++;
      }
      if (accepted[task] && n != 1) {
        return "accepted task " + task + " was reported " + n + " times, expected once";
      }
      if (!accepted[task] && n != 0) {
        return "refused task " + task + " was reported " + n + " times, expected never";
      }
    }
    if (!wrongLoop.isEmpty()) {
      return wrongLoop.keySet().iterator().next() + " (" + wrongLoop.size() + " such)";
    }
    if (acceptedCount == 0) {
      return "no task of " + total + " was accepted";
    }
    synchronized (threadDeaths) {
      if (!threadDeaths.isEmpty()) {
        return threadDeaths.get(0);
      }
    }
    return null;
  }

  @Test
  @Points(2)
  void workThatThrowsIsReportedAsAFailureOnTheLoop() {
    assertTimeoutPreemptively(LIMIT, () -> {
      CountDownLatch reported = new CountDownLatch(1);
      AtomicReference<String> seen = new AtomicReference<>();
      IllegalStateException boom = new IllegalStateException("the dependency is down");
      try (Offloader offloader = new Offloader("failing", 1, 1)) {
        assertTrue(offloader.offload(() -> {
          throw boom;
        }, loop(1), (r, f) -> {
          seen.set((Dispatchers.current() == loop(1) ? "on the loop" : "on "
              + Thread.currentThread().getName()) + ", result " + r + ", failure " + f);
          reported.countDown();
        }), "expected the task accepted");
        assertTrue(reported.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
            "expected then called with the failure within "
                + WAIT.toSeconds() + " s; it was not called");
        CountDownLatch next = new CountDownLatch(1);
        assertTrue(offloader.offload(() -> 1, loop(1), (r, f) -> next.countDown()),
            "expected work accepted after a failed task");
        assertTrue(next.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
            "expected work after a failed task to run and report");
      }
      assertEquals("on the loop, result null, failure " + boom, seen.get(),
          "expected then(null, the exception) on the loop");
      assertTrue(threadDeaths.isEmpty(), "expected no thread to die: " + threadDeaths);
    });
  }

  @Test
  @Points(4)
  void closeLetsAcceptedWorkFinishThenEndsEveryPoolThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      AtomicInteger reports = new AtomicInteger();
      Offloader offloader = new Offloader("closing", 2, 2);
      List<Thread> poolThreads = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 3; i++) {
        assertTrue(Promptly.offload(offloader, () -> {
          poolThreads.add(Thread.currentThread());
          return gate.serve(KIND, 1);
        }, loop(0), (r, f) -> reports.incrementAndGet()), "expected task " + i + " accepted");
      }
      assertTrue(gate.awaitEntered(2, WAIT), "expected 2 tasks running within "
          + WAIT.toSeconds() + " s");
      CountDownLatch closed = new CountDownLatch(1);
      Thread closer = new Thread(() -> {
        offloader.close();
        closed.countDown();
      }, "closer");
      closer.start();
      try {
        assertFalse(closed.await(300, TimeUnit.MILLISECONDS), "expected close() to wait for the"
            + " work it had accepted; it returned while 3 tasks were unfinished");
      } finally {
        gate.open();
      }
      assertTrue(closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "expected close() to"
          + " return within " + WAIT.toSeconds() + " s of the work finishing");
      assertFalse(offloader.offload(() -> 0L, loop(0), (r, f) -> reports.addAndGet(100)),
          "expected offload() refused after close()");
      flush(0);
      assertEquals(3, reports.get(), "expected the 3 accepted tasks reported once each (the"
          + " queued one too: close() lets accepted work finish), and nothing after close()");
      List<String> alive = new ArrayList<>();
      synchronized (poolThreads) {
        for (Thread t : poolThreads) {
          t.join(5_000);
          if (t.isAlive()) {
            alive.add(t.getName());
          }
        }
      }
      assertTrue(alive.isEmpty(), "expected every pool thread ended once close() returned;"
          + " still alive 5 s later: " + alive);
      offloader.close(); // idempotent
    });
  }

  @Test
  @Points(2)
  void badSizesAreRefusedAndCloseOnAPoolThreadThrows() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int[] bad : new int[][] {{0, 1}, {1, -1}}) {
        try {
          new Offloader("bad", bad[0], bad[1]).close();
          throw new AssertionError("expected new Offloader(name, " + bad[0] + ", " + bad[1]
              + ") to throw IllegalArgumentException (threads >= 1, queueCapacity >= 0)");
        } catch (IllegalArgumentException expected) {
          // as the constructor's contract says
        }
      }
      AtomicReference<Throwable> fromPoolThread = new AtomicReference<>();
      AtomicReference<Thread> closing = new AtomicReference<>(); // the pool thread, in close()
      CountDownLatch reported = new CountDownLatch(1);
      Offloader offloader = new Offloader("self-close", 1, 0);
      assertTrue(Promptly.offload(offloader, () -> {
        closing.set(Thread.currentThread());
        try {
          offloader.close();
          return "returned";
        } catch (RuntimeException e) {
          fromPoolThread.set(e);
          return "threw";
        } finally {
          closing.set(null);
        }
      }, loop(0), (r, f) -> reported.countDown()), "expected the task accepted");
      // Not closed from here if that failed: a close() that waits for itself would hold this
      // thread too, until the time limit.
      assertTrue(awaitReportedUnlessWaitingInClose(reported, closing), "expected close()"
          + " called on a pool thread to throw at once, since it would wait for itself; it"
          + " waits instead (for the pool to end, which it never will, as its caller is a"
          + " thread of that pool)");
      offloader.close();
      assertTrue(fromPoolThread.get() instanceof IllegalStateException, "expected close() on a"
          + " pool thread to throw IllegalStateException (it would wait for itself); it "
          + (fromPoolThread.get() == null ? "returned" : "threw " + fromPoolThread.get()));
    });
  }

  /**
   * Waits for {@code reported}; false as soon as the pool thread in {@code closing} is seen
   * waiting inside {@code close()} in {@value #WAITING_SAMPLES} samples in a row, 20 ms apart. A
   * close() that must throw on a pool thread has nothing to wait for (no other thread holds
   * anything it needs here), so a pool thread that waits there is waiting for itself: the
   * broken case is seen directly instead of by a timeout. Fails after 5 s of neither.
   */
  private static boolean awaitReportedUnlessWaitingInClose(CountDownLatch reported,
      AtomicReference<Thread> closing) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int waitingSeen = 0;
    while (!reported.await(20, TimeUnit.MILLISECONDS)) {
      Thread t = closing.get();
      Thread.State state = t == null ? null : t.getState();
      waitingSeen = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
          ? waitingSeen + 1 : 0;
      if (waitingSeen >= WAITING_SAMPLES) {
        return false;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("expected close() called on a pool thread to throw at once"
            + " (it would wait for itself), and the task reported, within 5 s; it did neither");
      }
    }
    return true;
  }

  @Test
  @Points(3)
  void anOfferWhileCloseWaitsForHeldWorkIsRefusedAndTheWorkEndsQuietly() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      Worker doomed = startedLoop("doomed");
      AtomicInteger reportsToDoomed = new AtomicInteger();
      AtomicReference<Thread> poolThread = new AtomicReference<>();
      Offloader offloader = new Offloader("closing-held", 1, 4);
      CountDownLatch closed = new CountDownLatch(1);
      Thread closer = new Thread(() -> {
        offloader.close();
        closed.countDown();
      }, "closer");
      closer.setDaemon(true);
      try {
        assertTrue(Promptly.offload(offloader, () -> {
          poolThread.set(Thread.currentThread());
          return gate.serve(KIND, 1);
        }, doomed.dispatcher(), (r, f) -> reportsToDoomed.incrementAndGet()),
            "expected the task accepted");
        assertTrue(gate.awaitEntered(1, WAIT), "expected the task running within "
            + WAIT.toSeconds() + " s");
        closer.start();
        // close() cannot return while the work is held: once it waits, it has begun, and the
        // window between refusing new work and returning stays open as long as the test likes.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (closer.getState() != Thread.State.WAITING
            && closer.getState() != Thread.State.TIMED_WAITING
            && closed.getCount() > 0 && System.nanoTime() - deadline < 0) {
          Thread.yield();
        }
        assertEquals(1, closed.getCount(), "expected close() to wait while accepted work was"
            + " still running; it returned");
        boolean accepted;
        try {
          accepted = Promptly.offload(offloader, () -> 0L, loop(0), (r, f) -> { });
        } catch (RuntimeException e) {
          throw new AssertionError("expected an offload() made while close() waited for held"
              + " work to return false; it threw " + e + ". The pool may refuse (throw) between"
              + " your check that the offloader is open and the hand-over: catch that, or"
              + " refuse before the pool is shut down", e);
        }
        assertFalse(accepted, "expected an offload() made while close() waited for held work"
            + " refused: close() refuses new work first, then waits");
        doomed.stop(); // the held work's loop closes too: its outcome has nowhere to go
      } finally {
        gate.open();
      }
      assertTrue(closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "expected close() to"
          + " return within " + WAIT.toSeconds() + " s of the held work returning");
      poolThread.get().join(5_000);
      assertFalse(poolThread.get().isAlive(), "expected the pool thread ended once close()"
          + " returned");
      assertEquals(0, reportsToDoomed.get(), "expected no outcome delivered to a closed loop");
      assertTrue(threadDeaths.isEmpty(), "expected the held work to end quietly after close()"
          + " began and its loop closed; a thread died instead: " + threadDeaths);
    });
  }

  @Test
  @Points(2)
  void anOutcomeForALoopThatHasClosedIsDroppedQuietly() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      Worker doomed = startedLoop("doomed");
      AtomicInteger reportsToDoomed = new AtomicInteger();
      AtomicReference<Thread> orphanThread = new AtomicReference<>();
      CountDownLatch next = new CountDownLatch(1);
      try (Offloader offloader = new Offloader("orphans", 1, 1)) {
        try {
          assertTrue(Promptly.offload(offloader, () -> {
            orphanThread.set(Thread.currentThread());
            return gate.serve(KIND, 1);
          }, doomed.dispatcher(), (r, f) -> reportsToDoomed.incrementAndGet()),
              "expected the task accepted");
          assertTrue(gate.awaitEntered(1, WAIT), "expected the task running within "
              + WAIT.toSeconds() + " s");
          doomed.stop(); // the loop closes while its work is in flight
          assertTrue(Promptly.offload(offloader, () -> 1, loop(0), (r, f) -> next.countDown()),
              "expected a second task accepted (queued behind the first)");
        } finally {
          gate.open();
        }
        assertTrue(next.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
            "expected the task after the orphan to run and report within "
                + WAIT.toSeconds() + " s");
      }
      // A thread that died of an exception has told the handler before it ends.
      orphanThread.get().join(5_000);
      assertEquals(0, reportsToDoomed.get(), "expected no outcome delivered to a closed loop");
      assertTrue(threadDeaths.isEmpty(), "expected the outcome for a closed loop dropped"
          + " quietly (Dispatcher.post() throws IllegalStateException once the loop has"
          + " closed); a thread died instead: " + threadDeaths);
    });
  }
}
