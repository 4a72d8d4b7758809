package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hidden grading tests: the lifecycle, readiness, stop() from many threads, failing requests. */
@ExtendWith(TraceOnFailure.class)
class LifecycleGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Duration READY = Duration.ofSeconds(10);

  @Test
  @Points(5)
  void awaitReadyReturnsOnlyOnceTheLoopRunsPostedCallbacks() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        InstrumentedFactory factory = new InstrumentedFactory(b).holdFirstRun();
        LoopWorker w = new LoopWorker("worker-r", factory, new RecordingErrors());
        try {
          w.start();
          InstrumentedFactory.Instrumented loop = factory.only();
          assertTrue(loop.awaitRunEntered(10), b + ": expected the worker's thread to call"
              + " run() on its dispatcher within 10 s of start()");
          // The thread is inside run(), held before the real loop: nothing posted has run.
          assertFalse(w.awaitReady(Duration.ofMillis(200)), b + ": expected awaitReady() false"
              + " while the loop had not yet run a posted callback (its run() was held at its"
              + " start), but it returned true: ready was signalled before the loop ran");
          assertEquals(WorkerState.STARTING, w.state(), b + ": expected STARTING until the"
              + " loop runs posted callbacks");
          loop.releaseRun();
          assertTrue(w.awaitReady(READY), b + ": expected awaitReady() true within 10 s once"
              + " the loop was let run");
          assertEquals(WorkerState.RUNNING, w.state(), b + ": expected RUNNING once ready");
        } finally {
          factory.created().forEach(InstrumentedFactory.Instrumented::releaseRun);
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(3)
  void aRequestOfferedAsSoonAsStartReturnsRunsOnTheWorkersThread() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        for (int round = 0; round < 20; round++) {
          LoopWorker w = new LoopWorker("worker-s", b.factory(), new RecordingErrors());
          try {
            w.start();
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<String> thread = new AtomicReference<>();
            assertTrue(w.offer(() -> {
              thread.set(Thread.currentThread().getName());
              ran.countDown();
            }), b + " round " + round + ": expected an offer made right after start() returned"
                + " to be accepted (the worker is " + w.state() + ")");
            assertTrue(ran.await(10, TimeUnit.SECONDS), b + " round " + round + ": expected"
                + " the request offered right after start() to run within 10 s");
            assertEquals("worker-s", thread.get(), b + " round " + round + ": expected it to"
                + " run on the worker's thread");
            assertEquals(new RequestCounts(1, 1, 0, 0), w.stop(), b + " round " + round
                + ": expected stop() to count it");
          } finally {
            Waits.stopQuietly(w);
          }
        }
      });
    }
  }

  @Test
  @Points(4)
  void theStatesGoNewStartingRunningDrainingStoppedAndMisuseIsRefused() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      LoopWorker w = new LoopWorker("worker-t", b.factory(), new RecordingErrors());
      Blocker blocker = new Blocker();
      try {
        assertEquals(WorkerState.NEW, w.state(), "expected a new worker NEW");
        assertThrows(IllegalStateException.class, () -> w.offer(() -> { }),
            "expected offer() on a NEW worker to throw IllegalStateException (not started)");
        assertThrows(IllegalStateException.class, () -> w.awaitReady(READY),
            "expected awaitReady() on a NEW worker to throw IllegalStateException");
        w.start();
        WorkerState afterStart = w.state();
        assertTrue(afterStart == WorkerState.STARTING || afterStart == WorkerState.RUNNING,
            "expected STARTING (or already RUNNING) right after start(), but it was "
                + afterStart);
        assertThrows(IllegalStateException.class, w::start,
            "expected a second start() to throw IllegalStateException");
        assertTrue(w.awaitReady(READY), "expected the worker ready within 10 s");
        assertEquals(WorkerState.RUNNING, w.state(), "expected RUNNING once ready");
        assertTrue(w.offer(blocker), "expected the blocking request accepted");
        blocker.awaitRunning("a RUNNING worker");
        Thread stopper = new Thread(w::stop, "stopper");
        stopper.start();
        Waits.untilState(w, WorkerState.DRAINING, "stop() called while a request runs");
        blocker.release();
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "expected stop() to return within 10 s of the last"
            + " request finishing");
        assertEquals(WorkerState.STOPPED, w.state(), "expected STOPPED once stop() returned");
        assertThrows(IllegalStateException.class, w::start,
            "expected start() on a STOPPED worker to throw IllegalStateException");
      } finally {
        blocker.release();
        Waits.stopQuietly(w);
      }
      LoopWorker never = new LoopWorker("worker-u", b.factory(), new RecordingErrors());
      assertEquals(RequestCounts.NONE, never.stop(), "expected stop() on a NEW worker to"
          + " report no requests");
      assertEquals(WorkerState.STOPPED, never.state(), "expected a NEW worker stopped to be"
          + " STOPPED");
      assertThrows(IllegalStateException.class, never::start,
          "expected start() after stop() to throw IllegalStateException");
    });
  }

  @Test
  @Points(4)
  void concurrentStopCallsAllWaitForTheDrainAndReturnTheSameCounts() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        LoopWorker w = new LoopWorker("worker-v", b.factory(), new RecordingErrors());
        Blocker blocker = new Blocker();
        try {
          w.start();
          assertTrue(w.awaitReady(READY), b + ": expected the worker ready within 10 s");
          assertTrue(w.offer(blocker), b + ": expected the blocking request accepted");
          for (int i = 0; i < 50; i++) {
            assertTrue(w.offer(() -> { }), b + ": expected request " + i + " accepted");
          }
          blocker.awaitRunning(b.toString());
          int stoppers = 3;
          List<Thread> threads = new ArrayList<>();
          RequestCounts[] returned = new RequestCounts[stoppers];
          boolean[] drainedWhenReturned = new boolean[stoppers];
          Throwable[] thrown = new Throwable[stoppers];
          for (int i = 0; i < stoppers; i++) {
            int s = i;
            Thread t = new Thread(() -> {
              try {
                returned[s] = w.stop();
                drainedWhenReturned[s] = blocker.finished();
              } catch (Throwable e) {
                thrown[s] = e;
              }
            }, "stopper-" + i);
            threads.add(t);
            t.start();
          }
          Waits.untilState(w, WorkerState.DRAINING, b + ": three threads called stop()");
          // Give each stopper the chance to get into stop() (it waits there, or returns early).
          long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
          for (Thread t : threads) {
            while (t.getState() == Thread.State.RUNNABLE || t.getState() == Thread.State.NEW) {
              if (System.nanoTime() - giveUp > 0) {
                break;
              }
              Thread.yield();
            }
          }
          blocker.release();
          for (Thread t : threads) {
            t.join(10_000);
            assertFalse(t.isAlive(), b + ": expected " + t.getName() + "'s stop() to return"
                + " within 10 s of the drain finishing");
          }
          RequestCounts expected = new RequestCounts(51, 51, 0, 0);
          for (int i = 0; i < stoppers; i++) {
            assertEquals(null, thrown[i], b + ": expected stopper-" + i + "'s stop() not to"
                + " throw");
            assertTrue(drainedWhenReturned[i], b + ": expected stopper-" + i + "'s stop() to"
                + " return only after the drain (the running request had not finished when it"
                + " returned): a stop() that finds another stop() in progress must wait too");
            assertEquals(expected, returned[i], b + ": expected every stop() to report the"
                + " counts at STOPPED");
          }
          assertEquals(expected, w.stop(), b + ": expected a later stop() to return the same"
              + " counts");
        } finally {
          blocker.release();
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(4)
  void exceptionsAndErrorsAreAllReportedCountedAndTheWorkerKeepsServing() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        RecordingErrors errors = new RecordingErrors();
        LoopWorker w = new LoopWorker("worker-w", b.factory(), errors);
        try {
          w.start();
          assertTrue(w.awaitReady(READY), b + ": expected the worker ready within 10 s");
          List<Throwable> thrown = new ArrayList<>();
          int[] completed = new int[1]; // worker thread only; read after stop()
          for (int i = 0; i < 30; i++) {
            Throwable t = i % 3 == 0 ? new IllegalStateException("request " + i)
                : i % 3 == 1 ? new AssertionError("request " + i) : null;
            if (t != null) {
              thrown.add(t);
            }
            assertTrue(w.offer(() -> {
              if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
              }
              if (t instanceof Error) {
                throw (Error) t;
              }
              completed[0]++;
            }), b + ": expected request " + i + " accepted");
          }
          CountDownLatch after = new CountDownLatch(1);
          assertTrue(w.offer(after::countDown), b + ": expected the last request accepted");
          assertTrue(after.await(10, TimeUnit.SECONDS), b + ": expected the worker to keep"
              + " serving after 20 of 30 requests threw, but the last request did not run in 10 s");
          RequestCounts counts = w.stop();
          List<RecordingErrors.Report> reports = errors.reports();
          List<Throwable> reported = new ArrayList<>();
          for (RecordingErrors.Report r : reports) {
            reported.add(r.error());
            assertEquals("worker-w", r.worker(), b + ": expected each report to name the"
                + " worker");
            assertEquals("worker-w", r.thread(), b + ": expected the handler called on the"
                + " worker's thread");
          }
          assertEquals(thrown, reported, b + ": expected every throwable reported once, in"
              + " order: RuntimeExceptions and Errors (AssertionError) alike");
          assertEquals(10, completed[0], b + ": expected the 10 requests of the 30 that do not"
              + " throw to have run");
          assertEquals(new RequestCounts(31, 11, 20, 0), counts, b + ": expected 31 accepted,"
              + " 11 completed and 20 failed");
        } finally {
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(2)
  void anErrorHandlerThatThrowsDoesNotStopTheWorker() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      RequestErrorHandler throwing = (worker, error) -> {
        throw new IllegalStateException("the handler failed too");
      };
      LoopWorker w = new LoopWorker("worker-x", b.factory(), throwing);
      try {
        w.start();
        assertTrue(w.awaitReady(READY), "expected the worker ready within 10 s");
        assertTrue(w.offer(() -> {
          throw new IllegalArgumentException("request failed");
        }), "expected the throwing request accepted");
        CountDownLatch next = new CountDownLatch(1);
        assertTrue(w.offer(next::countDown), "expected the next request accepted");
        assertTrue(next.await(10, TimeUnit.SECONDS), "expected the worker to keep serving"
            + " after its error handler threw, but the next request did not run in 10 s");
        assertEquals(new RequestCounts(2, 1, 1, 0), w.stop(), "expected the failed request"
            + " counted as failed even though the handler threw");
      } finally {
        Waits.stopQuietly(w);
      }
    });
  }
}
