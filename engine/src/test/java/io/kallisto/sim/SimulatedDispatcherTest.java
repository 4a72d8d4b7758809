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
 * What the shared contract suite ({@code DispatcherPostTest}, {@code DispatcherTimerTest},
 * {@code DispatcherThreadSafetyTest}, ... over {@code Backend.SIMULATED}) cannot check on a
 * standalone {@link SimulatedDispatcher}: the rules whose contract tests wait for the wall clock,
 * here in virtual time, and what only a simulation has (an hour passing at once, CPU cost
 * advancing the clock exactly, the refusal of raw fds).
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
