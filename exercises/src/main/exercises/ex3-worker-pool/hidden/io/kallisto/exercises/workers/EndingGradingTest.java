package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherFactory;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.exercises.support.ForwardingDispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: the ways a worker ends other than a plain stop() of a running one. A loop
 * that fails, a worker stopped before it was started, a caller that is interrupted while it
 * waits, a request that calls exit() itself, and a pool that is too small, cannot be built, or is
 * interrupted while it starts. In each, every promise of the contracts still holds: answers are
 * true, waits end, and what was made is released.
 */
@ExtendWith(TraceOnFailure.class)
class EndingGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Duration READY = Duration.ofSeconds(20);

  /** A factory of real dispatchers whose run() throws {@code failure}, counting closes. */
  private static final class FailingLoops implements DispatcherFactory {
    final RuntimeException failure = new IllegalStateException("the loop broke (planted)");
    final List<AtomicInteger> closes = new CopyOnWriteArrayList<>();
    final AtomicReference<Thread> ranOn = new AtomicReference<>();

    @Override
    public Dispatcher create(String name) {
      AtomicInteger closed = new AtomicInteger();
      closes.add(closed);
      return new ForwardingDispatcher(Backend.best().factory().create(name)) {
        @Override
        public void run(RunType type) {
          ranOn.set(Thread.currentThread());
          throw failure;
        }

        @Override
        public void close() {
          closed.incrementAndGet();
          super.close();
        }
      };
    }
  }

  @Test
  @Points(3)
  void aLoopThatFailsMakesAwaitReadyThrowItsFailureAndTheWorkerStillEndsClean() {
    assertTimeoutPreemptively(LIMIT, () -> {
      FailingLoops loops = new FailingLoops();
      LoopWorker w = new LoopWorker("worker-f", loops, new RecordingErrors());
      try {
        w.start();
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> w.awaitReady(READY), "expected awaitReady() to throw IllegalStateException"
                + " when the worker's loop failed before it became ready (run() threw)");
        assertSame(loops.failure, e.getCause(), "expected the IllegalStateException to carry"
            + " the loop's failure as its cause, so that the caller sees why; it carried "
            + e.getCause());
        Waits.untilState(w, WorkerState.STOPPED, "the loop failed");
        assertEquals(RequestCounts.NONE, w.stop(), "expected stop() of a failed worker to"
            + " return at once with nothing counted");
        assertEquals(1, loops.closes.get(0).get(), "expected the failed worker's dispatcher"
            + " closed exactly once");
        Thread t = loops.ranOn.get();
        assertFalse(t.isAlive(), "expected the failed worker's thread '" + t.getName()
            + "' to have ended when stop() returned");
        assertThrows(IllegalStateException.class, w::start, "expected start() of a failed"
            + " worker to throw IllegalStateException: a worker starts once");
      } finally {
        Waits.stopQuietly(w);
      }
    });
  }

  @Test
  @Points(2)
  void aWorkerStoppedBeforeItWasStartedIsNeverReadyAndNeverStarts() {
    assertTimeoutPreemptively(LIMIT, () -> {
      InstrumentedFactory f = new InstrumentedFactory(Backend.best());
      LoopWorker w = new LoopWorker("worker-n", f, new RecordingErrors());
      assertEquals(RequestCounts.NONE, w.stop(), "expected stop() of a NEW worker to return"
          + " RequestCounts.NONE");
      assertEquals(WorkerState.STOPPED, w.state(), "expected a NEW worker STOPPED by stop()");
      assertEquals(1, f.only().closes(), "expected the NEW worker's dispatcher closed once");
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> w.awaitReady(READY), "expected awaitReady() of a worker stopped before it was"
              + " started to throw IllegalStateException at once: it will never be ready");
      assertTrue(e.getCause() == null, "expected no cause: nothing failed, the worker was"
          + " stopped; got " + e.getCause());
      assertThrows(IllegalStateException.class, w::start, "expected start() after stop() to"
          + " throw IllegalStateException");
      assertFalse(w.offer(() -> { }), "expected an offer to a STOPPED worker rejected");
      assertEquals(new RequestCounts(0, 0, 0, 1), w.counts(), "expected the rejected offer"
          + " counted");
    });
  }

  @Test
  @Points(2)
  void anInterruptedAwaitReadyReturnsFalseAtOnceAndKeepsTheInterrupt() {
    assertTimeoutPreemptively(LIMIT, () -> {
      InstrumentedFactory f = new InstrumentedFactory(Backend.best()).holdFirstRun();
      LoopWorker w = new LoopWorker("worker-i", f, new RecordingErrors());
      try {
        w.start();
        Thread.currentThread().interrupt();
        boolean ready;
        try {
          ready = w.awaitReady(READY);
        } finally {
          assertTrue(Thread.interrupted(), "expected awaitReady() to leave the caller's"
              + " interrupt status set, so that the caller can see it was interrupted");
        }
        assertFalse(ready, "expected awaitReady() on an interrupted thread to return false:"
            + " the loop is held and has not run a callback");
        f.only().releaseRun();
        assertTrue(w.awaitReady(READY), "expected the worker ready once its loop runs");
      } finally {
        Thread.interrupted();
        f.only().releaseRun();
        Waits.stopQuietly(w);
      }
    });
  }

  @Test
  @Points(3)
  void anInterruptedStopStillWaitsForTheDrainAndKeepsTheInterrupt() {
    assertTimeoutPreemptively(LIMIT, () -> {
      LoopWorker w = new LoopWorker("worker-s", Backend.best().factory(),
          new RecordingErrors());
      Blocker blocker = new Blocker();
      try {
        w.start();
        assertTrue(w.awaitReady(READY), "expected the worker ready within 20 s");
        assertTrue(w.offer(blocker), "expected the blocking request accepted");
        blocker.awaitRunning("worker-s");
        int[] ran = new int[1];
        for (int i = 0; i < 5; i++) {
          assertTrue(w.offer(() -> ran[0]++), "expected request " + i + " accepted");
        }
        AtomicReference<RequestCounts> returned = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread stopper = new Thread(() -> {
          Thread.currentThread().interrupt(); // before stop(): every wait in it sees it
          returned.set(w.stop());
          interruptKept.set(Thread.currentThread().isInterrupted());
        }, "interrupted-stopper");
        stopper.start();
        Waits.until(() -> stopper.getState() == Thread.State.WAITING
                || stopper.getState() == Thread.State.TIMED_WAITING
                || stopper.getState() == Thread.State.TERMINATED, Duration.ofSeconds(10),
            () -> "expected the interrupted stop() to park or return within 10 s; it is "
                + stopper.getState());
        assertTrue(stopper.isAlive(), "expected stop() called with the interrupt status set"
            + " to keep waiting while a request still holds the drain, but it returned "
            + returned.get());
        assertEquals(WorkerState.DRAINING, w.state(), "expected the worker DRAINING");
        blocker.release();
        stopper.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(stopper.isAlive(), "expected stop() to return within 20 s of the drain");
        assertEquals(new RequestCounts(6, 6, 0, 0), returned.get(), "expected the interrupted"
            + " stop() to return the final counts: the blocker and the 5 behind it");
        assertEquals(5, ran[0], "expected the 5 requests behind the blocker to have run");
        assertTrue(interruptKept.get(), "expected stop() to leave its caller's interrupt"
            + " status set when it returns, not to swallow the interrupt");
      } finally {
        blocker.release();
        Waits.stopQuietly(w);
      }
    });
  }

  @Test
  @Points(3)
  void aRequestThatCallsExitStopsTheWorkerAsStopWouldWithTheDrainStillBounded() {
    assertTimeoutPreemptively(LIMIT, () -> {
      LoopWorker w = new LoopWorker("worker-x", Backend.best().factory(),
          new RecordingErrors());
      try {
        w.start();
        assertTrue(w.awaitReady(READY), "expected the worker ready within 20 s");
        long[] refused = new long[1]; // worker thread only
        AtomicBoolean exited = new AtomicBoolean();
        Runnable forever = new Runnable() {
          @Override
          public void run() {
            if (exited.compareAndSet(false, true)) {
              Dispatchers.current().exit();
            }
            if (!w.offer(this)) {
              refused[0]++;
            }
          }
        };
        assertTrue(w.offer(forever), "expected the request accepted");
        Waits.untilState(w, WorkerState.STOPPED, "a request called exit() on its worker's"
            + " dispatcher and then re-offered itself forever: the worker should drain, at"
            + " most " + LifecycleWorker.DRAIN_FOLLOW_UP_LIMIT + " follow-ups, and stop");
        RequestCounts counts = w.stop();
        assertEquals(1, refused[0], "expected exactly one follow-up refused, the first past"
            + " the drain's limit; " + refused[0] + " were");
        assertEquals(counts.accepted(), counts.completed(), "expected every accepted request"
            + " to have run; counts: " + counts);
        assertTrue(counts.accepted() <= 2 + LifecycleWorker.DRAIN_FOLLOW_UP_LIMIT,
            "expected at most " + LifecycleWorker.DRAIN_FOLLOW_UP_LIMIT + " follow-ups"
                + " accepted once the loop exited; counts: " + counts);
        assertFalse(w.offer(() -> { }), "expected an offer after the worker stopped rejected");
      } finally {
        Waits.stopQuietly(w);
      }
    });
  }

  @Test
  @Points(2)
  void aPoolNeedsOneWorkerOrMoreAndOneIsEnough() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int size : new int[] {0, -1}) {
        assertThrows(IllegalArgumentException.class,
            () -> new RoundRobinPool(size, Backend.best().factory(), new RecordingErrors()),
            "expected a pool of " + size + " workers refused with IllegalArgumentException");
      }
      RoundRobinPool pool = new RoundRobinPool(1, Backend.best().factory(),
          new RecordingErrors());
      try {
        pool.start();
        CountDownLatch ran = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
          assertTrue(pool.dispatch(ran::countDown), "expected dispatch " + i + " accepted");
        }
        assertTrue(ran.await(10, TimeUnit.SECONDS), "expected 3 requests run within 10 s");
        // Not 3 completed yet: a request is counted once it has returned, after countDown().
        assertEquals(3, pool.counts().accepted(), "expected the pool's counts() to sum its one"
            + " worker's: 3 accepted; it said " + pool.counts());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
            () -> pool.worker(1), "expected worker(1) of a pool of 1 refused");
        assertTrue(e.getMessage() != null && e.getMessage().contains("1"), "expected the"
            + " message to name the index and the size; it was: " + e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> pool.worker(-1),
            "expected worker(-1) refused with IndexOutOfBoundsException");
        assertEquals(new RequestCounts(3, 3, 0, 0), pool.stop(), "expected stop() to return"
            + " the counts");
        assertEquals(new RequestCounts(3, 3, 0, 0), pool.counts(), "expected the pool's"
            + " counts() after stop() to sum its one worker's final counts");
      } finally {
        Waits.stopQuietly(pool);
      }
    });
  }

  @Test
  @Points(2)
  void aPoolWhoseFactoryFailsPartWayClosesTheDispatchersItHadMade() {
    assertTimeoutPreemptively(LIMIT, () -> {
      InstrumentedFactory made = new InstrumentedFactory(Backend.best());
      RuntimeException failure = new IllegalStateException("out of fds (planted)");
      DispatcherFactory failsThird = name -> {
        if (made.created().size() == 2) {
          throw failure;
        }
        return made.create(name);
      };
      RuntimeException thrown = assertThrows(RuntimeException.class,
          () -> new RoundRobinPool(4, failsThird, new RecordingErrors()),
          "expected the pool's constructor to fail when its factory throws");
      assertSame(failure, thrown, "expected the factory's own exception to reach the caller");
      assertEquals(2, made.created().size(), "expected 2 dispatchers made before the failure");
      for (InstrumentedFactory.Instrumented d : made.created()) {
        assertEquals(1, d.closes(), "expected dispatcher '" + d.name() + "', made before"
            + " the factory failed, closed once: a pool that fails to build leaks nothing");
      }
    });
  }

  @Test
  @Points(2)
  void anInterruptedPoolStartFailsSayingSoAndKeepsTheInterrupt() {
    assertTimeoutPreemptively(LIMIT, () -> {
      InstrumentedFactory f = new InstrumentedFactory(Backend.best()).holdFirstRun();
      RoundRobinPool pool = new RoundRobinPool(2, f, new RecordingErrors());
      try {
        Thread.currentThread().interrupt();
        IllegalStateException e;
        try {
          e = assertThrows(IllegalStateException.class, pool::start, "expected start() on an"
              + " interrupted thread to throw IllegalStateException: its workers were not"
              + " ready (their loops are held)");
        } finally {
          assertTrue(Thread.interrupted(), "expected the pool's start() to leave the"
              + " interrupt status set");
        }
        assertTrue(e.getMessage() != null && e.getMessage().contains("interrupt"),
            "expected the message to say that start() was interrupted, not that a worker"
                + " timed out; it was: " + e.getMessage());
      } finally {
        Thread.interrupted();
        for (InstrumentedFactory.Instrumented d : f.created()) {
          d.releaseRun();
        }
        Waits.stopQuietly(pool);
      }
    });
  }
}
