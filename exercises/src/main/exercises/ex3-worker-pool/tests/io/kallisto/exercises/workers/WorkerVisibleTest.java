package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests you have: run them with {@code kallisto grade ex3 --src DIR}. Each runs on every
 * backend the machine has (epoll, NIO); a failure names the backend.
 */
@ExtendWith(TraceOnFailure.class)
class WorkerVisibleTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Duration READY = Duration.ofSeconds(10);

  @Test
  @Points(3)
  void aStartedWorkerBecomesReadyAndRunsARequestOnItsOwnLoop() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        InstrumentedFactory factory = new InstrumentedFactory(b);
        LoopWorker w = new LoopWorker("worker-a", factory, new RecordingErrors());
        try {
          assertEquals(WorkerState.NEW, w.state(), b + ": expected a new worker to be NEW");
          w.start();
          assertTrue(w.awaitReady(READY), b + ": expected awaitReady() true within 10 s of"
              + " start(); the worker is " + w.state());
          assertEquals(WorkerState.RUNNING, w.state(), b + ": expected RUNNING once ready");
          CountDownLatch ran = new CountDownLatch(1);
          AtomicReference<Thread> thread = new AtomicReference<>();
          AtomicReference<Dispatcher> loop = new AtomicReference<>();
          assertTrue(w.offer(() -> {
            thread.set(Thread.currentThread());
            loop.set(Dispatchers.current());
            ran.countDown();
          }), b + ": expected offer() to accept a request on a RUNNING worker");
          assertTrue(ran.await(10, TimeUnit.SECONDS), b + ": expected the accepted request to"
              + " run within 10 s, but it did not");
          assertEquals("worker-a", thread.get().getName(), b + ": expected the request to run"
              + " on the worker's own thread, named after the worker");
          assertSame(factory.only().loop(), loop.get(), b + ": expected the request to run"
              + " inside run() of the dispatcher the worker made with its factory, but"
              + " Dispatchers.current() was " + loop.get());
        } finally {
          Waits.stopQuietly(w);
        }
      }, b + ": expected start, a request and stop to take well under 30 s");
    }
  }

  @Test
  @Points(3)
  void stopRunsEveryAcceptedRequestAndReportsTheCounts() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        LoopWorker w = new LoopWorker("worker-b", b.factory(), new RecordingErrors());
        try {
          w.start();
          assertTrue(w.awaitReady(READY), b + ": expected the worker ready within 10 s");
          int[] ran = new int[1]; // written on the worker's thread; read after stop() joined it
          for (int i = 0; i < 1_000; i++) {
            assertTrue(w.offer(() -> ran[0]++), b + ": expected offer " + i + " accepted");
          }
          RequestCounts counts = w.stop();
          assertEquals(1_000, ran[0], b + ": expected stop() to return only after all 1000"
              + " accepted requests ran; " + ran[0] + " had run");
          assertEquals(new RequestCounts(1_000, 1_000, 0, 0), counts, b + ": expected stop()"
              + " to report 1000 accepted and 1000 completed");
          assertEquals(WorkerState.STOPPED, w.state(), b + ": expected STOPPED after stop()");
          assertEquals(counts, w.stop(), b + ": expected a second stop() to return the same"
              + " counts");
        } finally {
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(2)
  void anOfferAfterStopIsRejectedCountedAndNeverRun() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        LoopWorker w = new LoopWorker("worker-c", b.factory(), new RecordingErrors());
        try {
          w.start();
          assertTrue(w.awaitReady(READY), b + ": expected the worker ready within 10 s");
          w.stop();
          boolean[] ran = new boolean[1];
          assertFalse(w.offer(() -> ran[0] = true), b + ": expected offer() false on a"
              + " STOPPED worker");
          RequestCounts counts = w.counts();
          assertEquals(1, counts.rejected(), b + ": expected the rejected offer counted in"
              + " counts().rejected(); counts: " + counts);
          assertEquals(0, counts.accepted(), b + ": expected nothing accepted; " + counts);
          assertFalse(ran[0], b + ": expected a rejected request never to run");
        } finally {
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(3)
  void aThrowingRequestIsReportedWithTheWorkersNameAndTheWorkerKeepsServing() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        RecordingErrors errors = new RecordingErrors();
        LoopWorker w = new LoopWorker("worker-d", b.factory(), errors);
        try {
          w.start();
          assertTrue(w.awaitReady(READY), b + ": expected the worker ready within 10 s");
          IllegalArgumentException boom = new IllegalArgumentException("boom");
          assertTrue(w.offer(() -> {
            throw boom;
          }), b + ": expected the throwing request accepted");
          CountDownLatch next = new CountDownLatch(1);
          assertTrue(w.offer(next::countDown), b + ": expected the next request accepted");
          assertTrue(next.await(10, TimeUnit.SECONDS), b + ": expected the worker to keep"
              + " serving after a request threw, but the next request did not run within 10 s");
          RequestCounts counts = w.stop();
          assertEquals(new RequestCounts(2, 1, 1, 0), counts, b + ": expected 2 accepted, 1"
              + " completed and 1 failed");
          assertEquals(1, errors.reports().size(), b + ": expected the error handler called"
              + " once, but it was called " + errors.reports().size() + " times");
          RecordingErrors.Report r = errors.reports().get(0);
          assertEquals("worker-d", r.worker(), b + ": expected the report to name the worker");
          assertSame(boom, r.error(), b + ": expected the handler to get what the request"
              + " threw, but got " + r.error());
          assertEquals("worker-d", r.thread(), b + ": expected the handler called on the"
              + " worker's thread");
        } finally {
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(2)
  void stopOnTheWorkersOwnThreadThrowsIllegalStateException() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        LoopWorker w = new LoopWorker("worker-e", b.factory(), new RecordingErrors());
        try {
          w.start();
          assertTrue(w.awaitReady(READY), b + ": expected the worker ready within 10 s");
          AtomicReference<Throwable> thrown = new AtomicReference<>();
          CountDownLatch done = new CountDownLatch(1);
          w.offer(() -> {
            try {
              w.stop();
            } catch (Throwable t) {
              thrown.set(t);
            } finally {
              done.countDown();
            }
          });
          assertTrue(done.await(10, TimeUnit.SECONDS), b + ": expected stop() on the worker's"
              + " own thread to throw at once, but it did not return within 10 s (it waits for"
              + " itself?)");
          assertTrue(thrown.get() instanceof IllegalStateException, b + ": expected stop() on"
              + " the worker's own thread to throw IllegalStateException, but it "
              + (thrown.get() == null ? "returned" : "threw " + thrown.get()));
          assertEquals(WorkerState.RUNNING, w.state(), b + ": expected the worker still"
              + " RUNNING after the refused stop()");
          assertEquals(WorkerState.STOPPED, stateAfterStop(w), b + ": expected stop() from"
              + " another thread to work afterwards");
        } finally {
          Waits.stopQuietly(w);
        }
      });
    }
  }

  private static WorkerState stateAfterStop(LifecycleWorker w) {
    w.stop();
    return w.state();
  }

  @Test
  @Points(3)
  void aPoolDealsRequestsRoundRobinAndCountsThemPerWorker() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        RoundRobinPool pool = new RoundRobinPool(3, b.factory(), new RecordingErrors());
        try {
          pool.start();
          Map<Integer, String> ranOn = new ConcurrentHashMap<>();
          for (int i = 0; i < 9; i++) {
            int request = i;
            assertTrue(pool.dispatch(() -> ranOn.put(request, Thread.currentThread().getName())),
                b + ": expected dispatch " + i + " accepted by a started pool");
          }
          RequestCounts total = pool.stop();
          for (int i = 0; i < 9; i++) {
            assertEquals("worker-" + i % 3, ranOn.get(i), b + ": expected request " + i
                + " (of 0..8) to run on worker-" + i % 3 + " (round robin); where each ran: "
                + ranOn);
          }
          for (int i = 0; i < 3; i++) {
            assertEquals(new RequestCounts(3, 3, 0, 0), pool.worker(i).counts(), b
                + ": expected worker-" + i + " to count 3 accepted and 3 completed");
          }
          assertEquals(new RequestCounts(9, 9, 0, 0), total, b + ": expected the pool's"
              + " stop() to report the sum over its workers");
        } finally {
          Waits.stopQuietly(pool);
        }
      });
    }
  }
}
