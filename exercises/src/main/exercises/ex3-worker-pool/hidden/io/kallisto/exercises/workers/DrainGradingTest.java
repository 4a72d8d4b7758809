package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: the graceful stop. Each test holds the worker inside a request (a
 * {@link Blocker}), begins a stop() on another thread, checks what happens while the worker is
 * DRAINING, then lets it go.
 */
@ExtendWith(TraceOnFailure.class)
class DrainGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Duration READY = Duration.ofSeconds(10);

  /** A stop() running on a thread of its own, so that the test can watch the drain. */
  private static final class Stopper {
    private final Thread thread;
    private final AtomicReference<RequestCounts> counts = new AtomicReference<>();
    private final AtomicReference<Throwable> thrown = new AtomicReference<>();

    Stopper(LifecycleWorker w) {
      thread = new Thread(() -> {
        try {
          counts.set(w.stop());
        } catch (Throwable t) {
          thrown.set(t);
        }
      }, "stopper");
      thread.start();
    }

    /** Waits (10 s at most) for stop() to return, and returns what it returned. */
    RequestCounts await(String context) throws InterruptedException {
      thread.join(10_000);
      if (thread.isAlive()) {
        throw new AssertionError(context + ": expected stop() to return within 10 s of the"
            + " last request finishing, but it is still waiting");
      }
      if (thrown.get() != null) {
        throw new AssertionError(context + ": expected stop() to return, but it threw "
            + thrown.get(), thrown.get());
      }
      return counts.get();
    }
  }

  private static LoopWorker started(Backend b, String name, RequestErrorHandler errors) {
    LoopWorker w = new LoopWorker(name, b.factory(), errors);
    w.start();
    assertTrue(w.awaitReady(READY), b + ": expected the worker ready within 10 s");
    return w;
  }

  @Test
  @Points(5)
  void stopRunsEveryRequestQueuedBehindARunningOneInOrder() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        LoopWorker w = started(b, "worker-q", new RecordingErrors());
        Blocker blocker = new Blocker();
        try {
          int n = 2_000;
          int[] runs = new int[n]; // worker thread only; read after stop() returned
          List<Integer> order = new ArrayList<>();
          assertTrue(w.offer(blocker), b + ": expected the blocking request accepted");
          blocker.awaitRunning(b.toString());
          for (int i = 0; i < n; i++) {
            int request = i;
            assertTrue(w.offer(() -> {
              runs[request]++;
              order.add(request);
            }), b + ": expected request " + i + " accepted while the worker is RUNNING");
          }
          Stopper stopper = new Stopper(w);
          Waits.untilState(w, WorkerState.DRAINING, b + ": stop() with " + n
              + " requests queued");
          blocker.release();
          RequestCounts counts = stopper.await(b.toString());
          int never = 0;
          int twice = 0;
          for (int r : runs) {
            never += r == 0 ? 1 : 0;
            twice += r > 1 ? 1 : 0;
          }
          assertEquals(0, never, b + ": expected stop() to run all " + n + " requests queued"
              + " behind the running one before it returned; " + never + " never ran (the"
              + " loop exited without draining?)");
          assertEquals(0, twice, b + ": expected each request to run once; " + twice
              + " ran more than once");
          for (int i = 0; i < n; i++) {
            if (order.get(i) != i) {
              throw new AssertionError(b + ": expected the queued requests to run in the order"
                  + " offered; position " + i + " ran request " + order.get(i));
            }
          }
          assertEquals(new RequestCounts(n + 1, n + 1, 0, 0), counts, b + ": expected stop()"
              + " to report every request accepted and completed");
        } finally {
          blocker.release();
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(4)
  void followUpsOfferedDuringTheDrainRunBeforeStopReturns() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        LoopWorker w = started(b, "worker-f", new RecordingErrors());
        Blocker blocker = new Blocker();
        try {
          int depth = 100;
          int fanOut = 20;
          int[] chainRan = new int[1]; // worker thread only
          int[] fanRan = new int[1];
          int[] refused = new int[1];
          Runnable[] link = new Runnable[1];
          link[0] = new Runnable() {
            int level;

            @Override
            public void run() {
              chainRan[0]++;
              if (++level < depth && !w.offer(this)) {
                refused[0]++;
              }
            }
          };
          assertTrue(w.offer(blocker), b + ": expected the blocking request accepted");
          blocker.awaitRunning(b.toString());
          assertTrue(w.offer(() -> {
            // Runs during the drain: offers follow-ups to its own worker.
            for (int i = 0; i < fanOut; i++) {
              if (!w.offer(() -> fanRan[0]++)) {
                refused[0]++;
              }
            }
            if (!w.offer(link[0])) {
              refused[0]++;
            }
          }), b + ": expected the request accepted while RUNNING");
          Stopper stopper = new Stopper(w);
          Waits.untilState(w, WorkerState.DRAINING, b + ": stop() behind a request that"
              + " offers follow-ups");
          blocker.release();
          RequestCounts counts = stopper.await(b.toString());
          assertEquals(0, refused[0], b + ": expected every follow-up that a draining request"
              + " offers to its own worker to be accepted; " + refused[0] + " were refused");
          assertEquals(fanOut, fanRan[0], b + ": expected all " + fanOut + " follow-ups to run"
              + " before stop() returned; " + fanRan[0] + " ran (accepted, then dropped when the"
              + " dispatcher closed?)");
          assertEquals(depth, chainRan[0], b + ": expected a chain of " + depth + " follow-ups,"
              + " each offered by the one before, to run entirely before stop() returned; "
              + chainRan[0] + " ran");
          long expected = 2 + fanOut + depth;
          assertEquals(new RequestCounts(expected, expected, 0, 0), counts, b + ": expected"
              + " every follow-up counted as accepted and completed");
        } finally {
          blocker.release();
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(4)
  void offersFromOtherThreadsOnceStopBeganAreRejectedCountedAndNeverRun() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        LoopWorker w = started(b, "worker-j", new RecordingErrors());
        Blocker blocker = new Blocker();
        try {
          boolean[] ran = new boolean[1]; // read after stop() joined the worker
          assertTrue(w.offer(blocker), b + ": expected the blocking request accepted");
          blocker.awaitRunning(b.toString());
          Stopper stopper = new Stopper(w);
          Waits.untilState(w, WorkerState.DRAINING, b + ": stop() called");
          for (int i = 0; i < 5; i++) {
            assertFalse(w.offer(() -> ran[0] = true), b + ": expected offer " + i + " from"
                + " another thread to be rejected once stop() began (DRAINING)");
          }
          assertEquals(5, w.counts().rejected(), b + ": expected the 5 offers rejected while"
              + " DRAINING counted in counts().rejected() at once; counts: " + w.counts());
          blocker.release();
          RequestCounts atStop = stopper.await(b.toString());
          assertEquals(new RequestCounts(1, 1, 0, 5), atStop, b + ": expected stop() to report"
              + " the 5 rejected offers");
          for (int i = 0; i < 3; i++) {
            assertFalse(w.offer(() -> ran[0] = true), b + ": expected offer " + i + " after"
                + " STOPPED to be rejected");
          }
          assertEquals(new RequestCounts(1, 1, 0, 8), w.counts(), b + ": expected the 3"
              + " offers rejected after STOPPED counted too, never dropped silently");
          assertFalse(ran[0], b + ": expected no rejected request ever to run");
          assertEquals(atStop, w.stop(), b + ": expected a later stop() to return the counts"
              + " at STOPPED, unchanged");
        } finally {
          blocker.release();
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(3)
  void aRequestThatReoffersItselfForeverCannotKeepStopFromReturning() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      LoopWorker w = started(b, "worker-g", new RecordingErrors());
      Blocker gate = new Blocker(); // holds run 1000 until stop() has begun
      try {
        long[] runs = new long[1]; // worker thread only
        long[] refused = new long[1];
        long[] acceptedWhileDraining = new long[1];
        Runnable forever = new Runnable() {
          @Override
          public void run() {
            runs[0]++;
            if (runs[0] == 1_000) {
              gate.run(); // every offer after this one is made while DRAINING
            }
            if (!w.offer(this)) {
              refused[0]++;
            } else if (runs[0] >= 1_000) {
              acceptedWhileDraining[0]++;
            }
          }
        };
        assertTrue(w.offer(forever), "expected the request accepted");
        gate.awaitRunning("worker-g");
        Stopper stopper = new Stopper(w);
        Waits.untilState(w, WorkerState.DRAINING, "stop() called");
        gate.release();
        RequestCounts counts = stopper.await("worker-g");
        assertEquals(1, refused[0], "expected exactly one follow-up refused: the first past"
            + " the drain's limit of " + LifecycleWorker.DRAIN_FOLLOW_UP_LIMIT + "; "
            + refused[0] + " were");
        assertEquals(LifecycleWorker.DRAIN_FOLLOW_UP_LIMIT, acceptedWhileDraining[0],
            "expected exactly DRAIN_FOLLOW_UP_LIMIT (" + LifecycleWorker.DRAIN_FOLLOW_UP_LIMIT
                + ") follow-ups accepted while draining, then the next refused");
        assertEquals(runs[0], counts.completed(), "expected every run counted as completed");
        assertEquals(counts.accepted(), counts.completed(), "expected every accepted"
            + " follow-up to have run before stop() returned; counts: " + counts);
        assertEquals(1, counts.rejected(), "expected the refused follow-up counted as"
            + " rejected; counts: " + counts);
      } finally {
        gate.release();
        Waits.stopQuietly(w);
      }
    }, "expected stop() to return within 30 s although a request re-offers itself forever:"
        + " at most " + LifecycleWorker.DRAIN_FOLLOW_UP_LIMIT + " follow-ups are accepted while"
        + " draining");
  }

  @Test
  @Points(2)
  void aRequestThatThrowsDuringTheDrainIsReportedAndTheDrainGoesOn() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      RecordingErrors errors = new RecordingErrors();
      LoopWorker w = started(b, "worker-h", errors);
      Blocker blocker = new Blocker();
      try {
        int[] ran = new int[1];
        assertTrue(w.offer(blocker), "expected the blocking request accepted");
        blocker.awaitRunning("worker-h");
        RuntimeException boom = new UnsupportedOperationException("thrown while draining");
        assertTrue(w.offer(() -> {
          throw boom;
        }), "expected the throwing request accepted");
        for (int i = 0; i < 10; i++) {
          assertTrue(w.offer(() -> ran[0]++), "expected request " + i + " accepted");
        }
        Stopper stopper = new Stopper(w);
        Waits.untilState(w, WorkerState.DRAINING, "stop() called");
        blocker.release();
        RequestCounts counts = stopper.await("worker-h");
        assertEquals(10, ran[0], "expected the 10 requests behind the throwing one to run"
            + " during the drain; " + ran[0] + " ran");
        assertEquals(1, errors.reports().size(), "expected the error handler called once");
        assertEquals(boom, errors.reports().get(0).error(), "expected the throwable reported");
        assertEquals(new RequestCounts(12, 11, 1, 0), counts, "expected 12 accepted, 11"
            + " completed, 1 failed");
      } finally {
        blocker.release();
        Waits.stopQuietly(w);
      }
    });
  }
}
