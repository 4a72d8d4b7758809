package io.kallisto.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherStats;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.LoopThread;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.event.TimerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher contract (docs/engine.md) on a standalone {@link SimulatedDispatcher}: the
 * behaviours of {@code DispatcherPostTest}, {@code DispatcherTimerTest} and
 * {@code DispatcherThreadSafetyTest}, written against {@link Dispatcher} through
 * {@link #newDispatcher} and {@link #letTimePass}, so that they can move into a contract suite
 * shared by every backend. Excluded, with the reason: the timerfd re-arm counts (the simulation
 * has no timer source to arm) and {@code createFileEvent} on raw fds (simulated connections are
 * not fds; see {@link #fileEventsOnRawFdsAreRefusedWithAClearMessage}).
 */
class SimulatedDispatcherTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  /** The backend under test. */
  private static Dispatcher newDispatcher(String name) {
    return SimulatedDispatcher.create(name);
  }

  /** Lets {@code nanos} of the dispatcher's clock pass while no run is in progress. */
  private static void letTimePass(Dispatcher d, long nanos) {
    ((SimulatedDispatcher) d).simulation().runFor(Duration.ofNanos(nanos));
  }

  // ---- posts -----------------------------------------------------------------------------------

  @Test
  void postedCallbackIsExecutedByBlockingRun() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("post")) {
        AtomicBoolean ran = new AtomicBoolean();
        d.post(() -> ran.set(true));
        d.run(RunType.BLOCK);
        assertTrue(ran.get());
        assertEquals(1, d.stats().postsRun());
      }
    });
  }

  @Test
  void exitPostedToTheLoopEndsRunUntilExit() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("exit")) {
        AtomicBoolean exitCalled = new AtomicBoolean();
        d.post(() -> {
          exitCalled.set(true);
          d.exit();
        });
        d.run(RunType.RUN_UNTIL_EXIT);
        assertTrue(exitCalled.get());
      }
    });
  }

  @Test
  void postFromAnotherThreadRunsOnLoopThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(newDispatcher("cross"))) {
        CompletableFuture<Boolean> safe = new CompletableFuture<>();
        loop.dispatcher.post(() -> safe.complete(loop.dispatcher.isThreadSafe()));
        assertTrue(safe.get());
        assertFalse(loop.dispatcher.isThreadSafe(), "not on the loop thread");
      }
    });
  }

  @Test
  void postsFromOneThreadRunInFifoOrder() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(newDispatcher("fifo"))) {
        List<Integer> order = new ArrayList<>(); // touched only on the loop thread
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 10_000; i++) {
          int n = i;
          loop.dispatcher.post(() -> order.add(n));
        }
        loop.dispatcher.post(done::countDown);
        done.await();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
          expected.add(i);
        }
        assertEquals(expected, loop.call(() -> new ArrayList<>(order)));
      }
    });
  }

  @Test
  void postMadeInsidePostRunsInLaterBatch() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("nested")) {
        List<String> order = new ArrayList<>();
        d.post(() -> {
          order.add("a");
          d.post(() -> order.add("c"));
        });
        d.post(() -> order.add("b"));
        d.run(RunType.NON_BLOCK);
        // Expected: a and b in the first batch; c, posted by a, waits for the next iteration.
        assertEquals(List.of("a", "b"), order);
        assertTrue(d.hasPendingPosts());
        d.run(RunType.NON_BLOCK);
        assertEquals(List.of("a", "b", "c"), order);
        assertFalse(d.hasPendingPosts());
      }
    });
  }

  @Test
  void exitFromAnotherThreadEndsRunAndRunMayBeCalledAgain() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("rerun")) {
        CountDownLatch running = new CountDownLatch(1);
        d.post(running::countDown);
        Thread exiter = new Thread(() -> {
          try {
            running.await();
          } catch (InterruptedException e) {
            return;
          }
          d.exit();
        });
        exiter.start();
        d.run(RunType.RUN_UNTIL_EXIT); // returns only because the other thread called exit()
        exiter.join();
        AtomicBoolean secondRun = new AtomicBoolean();
        d.post(() -> secondRun.set(true));
        d.run(RunType.BLOCK);
        assertTrue(secondRun.get());
      }
    });
  }

  @Test
  void exitCalledWhileNoRunIsInProgressEndsTheNextRun() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("early-exit")) {
        d.exit();
        d.run(RunType.RUN_UNTIL_EXIT); // would wait forever if the exit were forgotten
        AtomicBoolean ran = new AtomicBoolean();
        d.post(() -> ran.set(true));
        d.run(RunType.BLOCK);
        assertTrue(ran.get(), "the exit is consumed by one run only");
      }
    });
  }

  @Test
  void blockRunReturnsAtOnceWhenNothingIsPending() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("idle")) {
        d.run(RunType.BLOCK);
        assertEquals(0, d.stats().iterations());
      }
    });
  }

  @Test
  void postAfterCloseThrowsNamingTheDispatcher() {
    Dispatcher d = newDispatcher("closed-post");
    d.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.post(() -> { }));
    assertTrue(e.getMessage().contains("'closed-post' is closed"), e.getMessage());
  }

  @Test
  void closeDropsQueuedPostsAndCountsThem() {
    Dispatcher d = newDispatcher("drop");
    d.post(() -> { });
    d.post(() -> { });
    d.close();
    assertEquals(2, d.stats().postsDropped());
  }

  @Test
  void throwingCallbackIsCountedAndTheLoopKeepsRunning() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("throws")) {
        AtomicBoolean after = new AtomicBoolean();
        d.post(() -> {
          throw new IllegalArgumentException("boom");
        });
        d.post(() -> after.set(true));
        d.run(RunType.BLOCK);
        assertTrue(after.get());
        DispatcherStats s = d.stats();
        assertEquals(1, s.callbackErrors());
        assertTrue(s.lastCallbackError().contains("boom"), s.lastCallbackError());
      }
    });
  }

  @Test
  void loopStatisticsRecordEveryIterationAndTheSleepBeforeATimer() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("stats")) {
        for (int i = 0; i < 5; i++) {
          d.post(() -> { });
          d.run(RunType.NON_BLOCK);
        }
        Timer t = d.createTimer(() -> { });
        t.enable(Duration.ofMillis(2));
        d.run(RunType.BLOCK); // sleeps until the deadline: one poll-delay sample
        DispatcherStats s = d.stats();
        assertEquals(s.iterations(), s.loopDuration().getTotalCount());
        assertTrue(s.iterations() >= 6);
        assertEquals(1, s.pollDelay().getTotalCount());
        assertEquals(1, s.timersFired());
      }
    });
  }

  // ---- timers ----------------------------------------------------------------------------------

  @Test
  void enabledIsTrueWhilePendingAndFalseAfterFiring() {
    try (Dispatcher d = newDispatcher("enabled")) {
      Timer t = d.createTimer(() -> { });
      assertFalse(t.enabled());
      t.enable(Duration.ofMillis(1));
      assertTrue(t.enabled());
      d.run(RunType.BLOCK);
      assertFalse(t.enabled());
      t.enable(Duration.ofHours(1));
      t.disable();
      assertFalse(t.enabled());
    }
  }

  @Test
  void timerNeverFiresBeforeItsDeadlineAndAnHourPassesAtOnce() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("not-early")) {
        long[] firedAt = new long[20];
        long[] deadline = new long[20];
        for (int i = 0; i < 20; i++) {
          int n = i;
          Timer t = d.createTimer(() -> firedAt[n] = d.now());
          deadline[i] = d.now() + Duration.ofMinutes(1 + i).toNanos();
          t.enable(Duration.ofMinutes(1 + i));
        }
        d.run(RunType.BLOCK);
        for (int i = 0; i < 20; i++) {
          assertTrue(firedAt[i] >= deadline[i], "timer " + i + " fired "
              + (deadline[i] - firedAt[i]) + " ns early");
        }
      }
    });
  }

  @Test
  void reEnablingPendingTimerMovesItsDeadlineEarlier() {
    try (Dispatcher d = newDispatcher("earlier")) {
      long[] firedAt = {0};
      Timer t = d.createTimer(() -> firedAt[0] = d.now());
      long start = d.now();
      t.enable(Duration.ofHours(1));
      t.enable(Duration.ofMillis(1));
      d.run(RunType.BLOCK);
      assertTrue(firedAt[0] - start < Duration.ofSeconds(1).toNanos(), "fired at the 1 ms one");
    }
  }

  @Test
  void reEnablingPendingTimerMovesItsDeadlineLater() {
    try (Dispatcher d = newDispatcher("later")) {
      List<String> fired = new ArrayList<>();
      Timer t = d.createTimer(() -> fired.add("t"));
      long start = d.now();
      t.enable(Duration.ZERO);
      t.enable(Duration.ofMillis(20));
      d.run(RunType.NON_BLOCK);
      assertTrue(fired.isEmpty(), "the zero deadline was replaced");
      d.run(RunType.BLOCK);
      assertEquals(List.of("t"), fired);
      assertTrue(d.now() - start >= 20_000_000L, "fired at the replaced, later deadline");
    }
  }

  @Test
  void dueTimersFireInDeadlineOrder() {
    try (Dispatcher d = newDispatcher("order")) {
      List<Long> fired = new ArrayList<>();
      List<Long> deadlines = new ArrayList<>();
      for (int us : new int[] {300, 100, 500, 200, 400}) {
        TimerNode[] self = new TimerNode[1];
        Timer t = d.createTimer(() -> fired.add(self[0].deadlineNanos()));
        self[0] = (TimerNode) t;
        t.enable(Duration.ofNanos(us * 1000L));
        deadlines.add(self[0].deadlineNanos());
      }
      letTimePass(d, 600_000);
      d.run(RunType.NON_BLOCK); // all five are due in this one iteration
      // Expected: by deadline, not by the order they were enabled in.
      List<Long> byDeadline = new ArrayList<>(deadlines);
      Collections.sort(byDeadline);
      assertEquals(byDeadline, fired);
      assertEquals(1, d.stats().iterations());
    }
  }

  @Test
  void timersWithEqualDelaysFireInTheOrderEnabled() {
    try (Dispatcher d = newDispatcher("ties")) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        d.createTimer(() -> order.add(n)).enable(Duration.ZERO);
      }
      d.run(RunType.BLOCK);
      for (int i = 0; i < 50; i++) {
        assertEquals(i, order.get(i));
      }
    }
  }

  @Test
  void timerDisabledByEarlierCallbackInSameIterationDoesNotFire() {
    try (Dispatcher d = newDispatcher("disable")) {
      List<String> fired = new ArrayList<>();
      Timer second = d.createTimer(() -> fired.add("second"));
      Timer first = d.createTimer(() -> {
        fired.add("first");
        second.disable();
      });
      first.enable(Duration.ofNanos(100_000));
      second.enable(Duration.ofNanos(200_000));
      letTimePass(d, 300_000);
      d.run(RunType.NON_BLOCK); // both were due when the iteration began
      assertEquals(List.of("first"), fired);
      assertFalse(second.enabled());
    }
  }

  @Test
  void zeroDelayTimerEnabledInsideTimerCallbackFiresOnNextIteration() {
    try (Dispatcher d = newDispatcher("zero")) {
      List<String> fired = new ArrayList<>();
      Timer inner = d.createTimer(() -> fired.add("inner"));
      Timer outer = d.createTimer(() -> {
        fired.add("outer");
        inner.enable(Duration.ZERO);
      });
      outer.enable(Duration.ZERO);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of("outer"), fired, "inner must wait for the next iteration");
      assertTrue(inner.enabled());
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of("outer", "inner"), fired);
    }
  }

  @Test
  void timerMayReArmItself() {
    try (Dispatcher d = newDispatcher("rearm")) {
      int[] count = {0};
      Timer[] self = new Timer[1];
      self[0] = d.createTimer(() -> {
        if (++count[0] < 5) {
          self[0].enable(Duration.ofMillis(1));
        }
      });
      self[0].enable(Duration.ofMillis(1));
      d.run(RunType.BLOCK);
      assertEquals(5, count[0]);
      assertEquals(5, d.stats().timersFired());
    }
  }

  @Test
  void manyPendingTimersAllFireInDeadlineOrderInVirtualTime() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = newDispatcher("million")) {
        int n = 300_000;
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        long[] last = {Long.MIN_VALUE};
        int[] outOfOrder = {0};
        int[] fired = {0};
        for (int i = 0; i < n; i++) {
          TimerNode[] self = new TimerNode[1];
          Timer t = d.createTimer(() -> {
            fired[0]++;
            if (self[0].deadlineNanos() < last[0]) {
              outOfOrder[0]++;
            }
            last[0] = self[0].deadlineNanos();
          });
          self[0] = (TimerNode) t;
          t.enable(Duration.ofNanos(random.nextLong(50_000_000_000L))); // over 50 s
        }
        d.run(RunType.BLOCK);
        assertEquals(n, fired[0]);
        assertEquals(0, outOfOrder[0]);
      }
    });
  }

  // ---- threads ---------------------------------------------------------------------------------

  @Test
  void isThreadSafeBeforeRunOnTheLoopThreadAndNotElsewhere() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Dispatcher d = newDispatcher("safe");
      assertTrue(d.isThreadSafe(), "no run in progress: any thread");
      try (LoopThread loop = new LoopThread(d)) {
        assertTrue(loop.call(d::isThreadSafe));
        assertFalse(d.isThreadSafe());
        assertSame(d, loop.call(Dispatchers::current));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> d.createTimer(() -> { }));
        assertTrue(e.getMessage().contains("must be called on its loop thread"), e.getMessage());
      }
    });
  }

  @Test
  void fileEventsOnRawFdsAreRefusedWithAClearMessage() {
    try (Dispatcher d = newDispatcher("fds")) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> d.createFileEvent(7, events -> { }, io.kallisto.event.FileTriggerType.EDGE, 1));
      assertTrue(e.getMessage().contains("simulated connections are not file descriptors"),
          e.getMessage());
    }
  }

  @Test
  void cpuWorkInACallbackAdvancesTheClockByExactlyThatMuch() {
    try (Dispatcher d = SimulatedDispatcher.create("cpu", SimulationCosts.FREE)) {
      long[] seen = new long[2];
      d.post(() -> {
        seen[0] = d.now();
        Simulate.cpu(Duration.ofMillis(3));
        seen[1] = d.now();
      });
      d.run(RunType.NON_BLOCK);
      assertEquals(3_000_000L, seen[1] - seen[0]);
      assertEquals(3_000_000L, d.stats().busyNanos());
    }
  }

  @Test
  void simulateOutsideASimulatedCallbackIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Simulate.cpu(Duration.ofMillis(1)));
    assertTrue(e.getMessage().contains("inside a callback of a simulated dispatcher"),
        e.getMessage());
  }
}
