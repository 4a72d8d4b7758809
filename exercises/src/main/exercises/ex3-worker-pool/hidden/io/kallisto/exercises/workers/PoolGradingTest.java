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

/** Hidden grading tests: the round-robin pool. */
@ExtendWith(TraceOnFailure.class)
class PoolGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  @Points(2)
  void startReturnsWithEveryWorkerRunningAndNamed() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        RoundRobinPool pool = new RoundRobinPool(3, b.factory(), new RecordingErrors());
        try {
          assertEquals(3, pool.size(), b + ": expected size() 3");
          pool.start();
          for (int i = 0; i < 3; i++) {
            assertEquals("worker-" + i, pool.worker(i).name(), b + ": expected worker " + i
                + " named worker-" + i);
            assertEquals(WorkerState.RUNNING, pool.worker(i).state(), b + ": expected worker-"
                + i + " RUNNING when start() returns");
          }
          assertThrows(IllegalStateException.class, pool::start, b + ": expected a second"
              + " start() to throw IllegalStateException");
          assertThrows(IndexOutOfBoundsException.class, () -> pool.worker(3),
              b + ": expected worker(3) of a pool of 3 to throw IndexOutOfBoundsException");
        } finally {
          Waits.stopQuietly(pool);
        }
      });
    }
  }

  @Test
  @Points(4)
  void stopDrainsEveryWorkerAtOnceAndSumsTheirCounts() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        int size = 3;
        RoundRobinPool pool = new RoundRobinPool(size, b.factory(), new RecordingErrors());
        List<Blocker> blockers = new ArrayList<>();
        try {
          pool.start();
          for (int i = 0; i < size; i++) {
            Blocker blocker = new Blocker();
            blockers.add(blocker);
            assertTrue(pool.dispatch(blocker), b + ": expected the blocking request accepted");
            blocker.awaitRunning(b + " worker-" + i);
          }
          int[][] ran = new int[size][1]; // each array written by one worker's thread only
          for (int i = 0; i < 300; i++) {
            int[] mine = ran[i % size];
            assertTrue(pool.dispatch(() -> mine[0]++), b + ": expected dispatch " + i
                + " accepted");
          }
          AtomicReference<RequestCounts> stopped = new AtomicReference<>();
          Thread stopper = new Thread(() -> stopped.set(pool.stop()), "pool-stopper");
          stopper.start();
          Waits.until(() -> allDraining(pool), Duration.ofSeconds(10), () -> b
              + ": expected every worker DRAINING at once while each still had a request"
              + " running, but the states were " + states(pool) + ": the pool's stop() stops"
              + " the workers one after the other");
          assertFalse(pool.dispatch(() -> { }), b + ": expected dispatch() rejected once the"
              + " pool's stop() began");
          blockers.forEach(Blocker::release);
          stopper.join(10_000);
          assertFalse(stopper.isAlive(), b + ": expected the pool's stop() to return within"
              + " 10 s of the last request finishing");
          for (int i = 0; i < size; i++) {
            assertEquals(100, ran[i][0], b + ": expected all 100 requests dealt to worker-" + i
                + " to run before the pool's stop() returned");
          }
          RequestCounts sum = RequestCounts.NONE;
          for (int i = 0; i < size; i++) {
            sum = sum.plus(pool.worker(i).stop());
          }
          assertEquals(sum, stopped.get(), b + ": expected the pool's stop() to return the sum"
              + " of its workers' stop() counts");
          assertEquals(new RequestCounts(303, 303, 0, 1), stopped.get(), b + ": expected 303"
              + " accepted and completed, and the late dispatch rejected");
          assertEquals(stopped.get(), pool.stop(), b + ": expected a second stop() to return"
              + " the same counts");
        } finally {
          blockers.forEach(Blocker::release);
          Waits.stopQuietly(pool);
        }
      });
    }
  }

  private static boolean allDraining(LifecyclePool pool) {
    for (int i = 0; i < pool.size(); i++) {
      if (pool.worker(i).state() != WorkerState.DRAINING) {
        return false;
      }
    }
    return true;
  }

  private static String states(LifecyclePool pool) {
    List<String> states = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      states.add("worker-" + i + " " + pool.worker(i).state());
    }
    return states.toString();
  }

  @Test
  @Points(2)
  void stopOnOneOfThePoolsWorkerThreadsThrowsIllegalStateException() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      RoundRobinPool pool = new RoundRobinPool(2, b.factory(), new RecordingErrors());
      try {
        pool.start();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        pool.dispatch(() -> {
          try {
            pool.stop();
          } catch (Throwable t) {
            thrown.set(t);
          } finally {
            done.countDown();
          }
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "expected the pool's stop() on one of its"
            + " workers to throw at once, but it did not return within 10 s (it waits for"
            + " itself?)");
        assertTrue(thrown.get() instanceof IllegalStateException, "expected the pool's stop()"
            + " on one of its worker threads to throw IllegalStateException, but it "
            + (thrown.get() == null ? "returned" : "threw " + thrown.get()));
        for (int i = 0; i < 2; i++) {
          assertEquals(WorkerState.RUNNING, pool.worker(i).state(), "expected worker-" + i
              + " still RUNNING after the refused stop()");
        }
      } finally {
        Waits.stopQuietly(pool);
      }
    });
  }

  @Test
  @Points(3)
  void theDealStaysRoundRobinPastTwoToThe31Dispatches() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(LIMIT, () -> {
      int size = 3;
      RoundRobinPool pool = new RoundRobinPool(size, b.factory(), new RecordingErrors());
      try {
        pool.start();
        Ticket ticket = Ticket.find(pool, size);
        if (ticket == null) {
          return; // an index kept within [0, size): nothing to overflow
        }
        // 2^31 dispatches would take minutes: the test moves the ticket there instead, keeping
        // its place in the rotation.
        long last = dealtTo(pool, size);
        ticket.advanceNear(Integer.MAX_VALUE, size);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4 * size; i++) {
          long expected = (last + 1 + i) % size;
          int got;
          try {
            got = dealtTo(pool, size);
          } catch (RuntimeException e) {
            throw new AssertionError("expected dispatch() to keep dealing round robin once its"
                + " ticket (field '" + ticket.name() + "') passed Integer.MAX_VALUE (2^31"
                + " dispatches, a few hours of a busy server), but it threw " + e
                + " after the workers " + order, e);
          }
          order.add("worker-" + got);
          assertEquals(expected, got, "expected dispatch() to keep dealing round robin once"
              + " its ticket (field '" + ticket.name() + "') passed Integer.MAX_VALUE (2^31"
              + " dispatches, a few hours of a busy server), but after worker-" + last
              + " it dealt to " + order + ": an int ticket wraps to a negative number");
        }
      } finally {
        Waits.stopQuietly(pool);
      }
    });
  }

  /** Dispatches one request and returns the worker it went to (by the accepted counts). */
  private static int dealtTo(LifecyclePool pool, int size) {
    long[] before = new long[size];
    for (int i = 0; i < size; i++) {
      before[i] = pool.worker(i).counts().accepted();
    }
    if (!pool.dispatch(() -> { })) {
      throw new AssertionError("expected a dispatch to a started pool accepted");
    }
    int to = -1;
    for (int i = 0; i < size; i++) {
      if (pool.worker(i).counts().accepted() != before[i]) {
        if (to >= 0) {
          throw new AssertionError("one dispatch was counted by two workers");
        }
        to = i;
      }
    }
    if (to < 0) {
      throw new AssertionError("a dispatch was counted by no worker");
    }
    return to;
  }

  /**
   * The pool's round-robin ticket, found by what it does: the one numeric field (an int, a
   * long, an AtomicInteger or an AtomicLong) that goes up by one on every dispatch.
   */
  private record Ticket(java.lang.reflect.Field field, Object owner) {
    static Ticket find(LifecyclePool pool, int size) throws ReflectiveOperationException {
      List<java.lang.reflect.Field> numeric = new ArrayList<>();
      for (java.lang.reflect.Field f : pool.getClass().getDeclaredFields()) {
        Class<?> t = f.getType();
        if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) && (t == int.class
            || t == long.class || t == java.util.concurrent.atomic.AtomicInteger.class
            || t == java.util.concurrent.atomic.AtomicLong.class)) {
          f.setAccessible(true);
          numeric.add(f);
        }
      }
      long[] before = new long[numeric.size()];
      for (int i = 0; i < before.length; i++) {
        before[i] = new Ticket(numeric.get(i), pool).value();
      }
      for (int i = 0; i < size + 1; i++) {
        dealtTo(pool, size);
      }
      Ticket found = null;
      for (int i = 0; i < before.length; i++) {
        Ticket t = new Ticket(numeric.get(i), pool);
        if (t.value() - before[i] == size + 1) {
          found = t;
        }
      }
      return found;
    }

    String name() {
      return field.getName();
    }

    long value() throws ReflectiveOperationException {
      Object v = field.get(owner);
      return v instanceof Number n ? n.longValue() : 0;
    }

    /** Moves the ticket to just below {@code limit}, on the same place in the rotation. */
    void advanceNear(long limit, int size) throws ReflectiveOperationException {
      long now = value();
      long target = limit - 2L * size;
      target -= Math.floorMod(target - now, (long) size);
      Object v = field.get(owner);
      if (v instanceof java.util.concurrent.atomic.AtomicInteger a) {
        a.set((int) target);
      } else if (v instanceof java.util.concurrent.atomic.AtomicLong a) {
        a.set(target);
      } else if (field.getType() == int.class) {
        field.setInt(owner, (int) target);
      } else {
        field.setLong(owner, target);
      }
    }
  }
}
