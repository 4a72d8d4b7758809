package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class DispatcherTimerTest {
  @Parameter Backend backend;

  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** Waits until {@code d.now()} has passed {@code deadline}: the passing of time is the point. */
  private static void waitPast(Dispatcher d, long deadline) {
    while (d.now() <= deadline) {
      Thread.onSpinWait();
    }
  }

  @Test
  @DisplayName("seed: 'Timer should have fired'")
  void enabledTimerFiresDuringBlockingRun() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("seed-timer")) {
        List<String> fired = new ArrayList<>();
        d.createTimer(() -> fired.add("t")).enable(Duration.ofMillis(5));
        d.run(RunType.BLOCK);
        assertEquals(List.of("t"), fired);
      }
    });
  }

  @Test
  void enabledIsTrueWhilePendingAndFalseAfterFiring() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("enabled")) {
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
    });
  }

  @Test
  void timerNeverFiresBeforeItsDeadline() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("not-early")) {
        long[] firedAt = new long[20];
        long[] deadline = new long[20];
        for (int i = 0; i < 20; i++) {
          int n = i;
          Timer t = d.createTimer(() -> firedAt[n] = d.now());
          deadline[i] = d.now() + Duration.ofMillis(1 + i).toNanos();
          t.enable(Duration.ofMillis(1 + i));
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
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("earlier")) {
        List<String> fired = new ArrayList<>();
        Timer t = d.createTimer(() -> fired.add("t"));
        t.enable(Duration.ofHours(1));
        t.enable(Duration.ofMillis(1)); // without the replacement, BLOCK would wait an hour
        d.run(RunType.BLOCK);
        assertEquals(List.of("t"), fired);
      }
    });
  }

  @Test
  void reEnablingPendingTimerMovesItsDeadlineLater() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("later")) {
        List<String> fired = new ArrayList<>();
        Timer t = d.createTimer(() -> fired.add("t"));
        long start = d.now();
        t.enable(Duration.ZERO);
        t.enable(Duration.ofMillis(20));
        d.run(RunType.NON_BLOCK);
        assertTrue(fired.isEmpty() || d.now() - start >= 20_000_000L);
        assertTrue(t.enabled() || d.now() - start >= 20_000_000L);
        d.run(RunType.BLOCK);
        assertEquals(List.of("t"), fired);
        assertTrue(d.now() - start >= 20_000_000L, "fired at the replaced, later deadline");
      }
    });
  }

  @Test
  void dueTimersFireInDeadlineOrder() {
    assumeTrue(backend.realTime(), "waits for the deadlines to pass by watching now(); in virtual"
        + " time only the loop moves the clock (SimulatedDispatcherTest checks this rule)");
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("order")) {
        List<Long> fired = new ArrayList<>();
        List<Long> deadlines = new ArrayList<>();
        int[] delaysMicros = {300, 100, 500, 200, 400};
        for (int us : delaysMicros) {
          TimerNode[] self = new TimerNode[1];
          Timer t = d.createTimer(() -> fired.add(self[0].deadlineNanos()));
          self[0] = (TimerNode) t;
          t.enable(Duration.ofNanos(us * 1000L));
          deadlines.add(self[0].deadlineNanos());
        }
        waitPast(d, java.util.Collections.max(deadlines));
        d.run(RunType.NON_BLOCK); // all five are due in this one iteration
        // Expected: by deadline, not by the order they were enabled in.
        List<Long> byDeadline = new ArrayList<>(deadlines);
        java.util.Collections.sort(byDeadline);
        assertEquals(byDeadline, fired);
        assertEquals(1, d.stats().iterations());
      }
    });
  }

  @Test
  void timersWithEqualDelaysFireInTheOrderEnabled() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("ties")) {
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
    });
  }

  @Test
  void timerDisabledByEarlierCallbackInSameIterationDoesNotFire() {
    assumeTrue(backend.realTime(), "waits for the deadlines to pass by watching now(); in virtual"
        + " time only the loop moves the clock (SimulatedDispatcherTest checks this rule)");
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("disable")) {
        List<String> fired = new ArrayList<>();
        Timer second = d.createTimer(() -> fired.add("second"));
        Timer first = d.createTimer(() -> {
          fired.add("first");
          second.disable();
        });
        first.enable(Duration.ofNanos(100_000));
        second.enable(Duration.ofNanos(200_000));
        waitPast(d, d.now() + 300_000);
        d.run(RunType.NON_BLOCK); // both were due when the iteration began
        assertEquals(List.of("first"), fired);
        assertFalse(second.enabled());
      }
    });
  }

  @Test
  void zeroDelayTimerEnabledInsideTimerCallbackFiresOnNextIteration() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("zero")) {
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
    });
  }

  @Test
  void timerMayReArmItself() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("rearm")) {
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
    });
  }

  @Test
  void negativeDelayIsRejectedWithTheValue() {
    try (Dispatcher d = backend.create("negative")) {
      Timer t = d.createTimer(() -> { });
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> t.enable(Duration.ofMillis(-5)));
      assertTrue(e.getMessage().contains("PT-0.005S"), e.getMessage());
    }
  }

  @Test
  void timerfdIsNotReArmedWhenTheEarliestDeadlineIsUnchanged() {
    assumeTrue(backend == Backend.EPOLL, "only epoll has a timerfd; java.nio passes the"
        + " earliest deadline as the select() timeout, so there is nothing to re-arm");
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("arms"))) {
        Dispatcher d = loop.dispatcher;
        loop.call(() -> {
          d.createTimer(() -> { }).enable(Duration.ofSeconds(30));
          return null;
        });
        // Each sleep after the first happens on the same earliest deadline.
        for (int i = 0; i < 5; i++) {
          awaitSleep(loop);
        }
        assertEquals(1, d.stats().timerArms());
      }
    });
  }

  @Test
  void timerfdIsReArmedEachTimeTheEarliestDeadlineChanges() {
    assumeTrue(backend == Backend.EPOLL, "only epoll has a timerfd; java.nio passes the"
        + " earliest deadline as the select() timeout, so there is nothing to re-arm");
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("rearms"))) {
        Dispatcher d = loop.dispatcher;
        Timer late = loop.call(() -> d.createTimer(() -> { }));
        Timer early = loop.call(() -> d.createTimer(() -> { }));
        onLoop(loop, () -> late.enable(Duration.ofHours(1)));
        awaitSleep(loop);
        assertEquals(1, d.stats().timerArms(), "armed for the only deadline");
        onLoop(loop, () -> early.enable(Duration.ofMinutes(30)));
        awaitSleep(loop);
        assertEquals(2, d.stats().timerArms(), "an earlier deadline: re-armed");
        onLoop(loop, early::disable);
        awaitSleep(loop);
        assertEquals(3, d.stats().timerArms(), "back to the later deadline: re-armed");
        onLoop(loop, () -> late.enable(Duration.ofHours(2)));
        awaitSleep(loop);
        assertEquals(4, d.stats().timerArms(), "the same timer, a new deadline: re-armed");
      }
    });
  }

  private static void onLoop(LoopThread loop, Runnable work) throws Exception {
    loop.call(() -> {
      work.run();
      return null;
    });
  }

  /**
   * Returns once the loop has gone to sleep (and so armed its timer) since this call began: a
   * post that finds it asleep is the one that writes a wakeup.
   */
  private static void awaitSleep(LoopThread loop) throws Exception {
    long before = loop.dispatcher.stats().wakeupsWritten();
    for (int i = 0; i < 100_000 && loop.dispatcher.stats().wakeupsWritten() == before; i++) {
      loop.call(() -> null);
    }
    assertTrue(loop.dispatcher.stats().wakeupsWritten() > before, "the loop never slept");
  }

  @Test
  void aMillionPendingTimersAllFireInDeadlineOrder() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (Dispatcher d = backend.create("million")) {
        int n = 1_000_000;
        SplittableRandom random = new SplittableRandom(42);
        long[] lastDeadline = {Long.MIN_VALUE};
        int[] outOfOrder = {0};
        int[] fired = {0};
        for (int i = 0; i < n; i++) {
          long delay = random.nextLong(50_000_000L); // spread over 50 ms
          TimerNode[] self = new TimerNode[1];
          Timer t = d.createTimer(() -> {
            fired[0]++;
            // A timer may only fire after every timer with an earlier deadline.
            long deadline = self[0].deadlineNanos();
            if (deadline < lastDeadline[0]) {
              outOfOrder[0]++;
            }
            lastDeadline[0] = deadline;
          });
          self[0] = (TimerNode) t; // the deadline the queue really orders by
          t.enable(Duration.ofNanos(delay));
        }
        d.run(RunType.BLOCK);
        assertEquals(n, fired[0]);
        assertEquals(0, outOfOrder[0]);
        DispatcherStats s = d.stats();
        assertEquals(n, s.timersFired());
        assertTrue(s.timerArms() <= s.iterations(), "at most one timerfd arm per iteration");
      }
    });
  }

  @Test
  void timerCallbackRunsOnTheLoopThreadOfARunningDispatcher() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("timer-thread"))) {
        CountDownLatch fired = new CountDownLatch(1);
        Thread[] ranOn = new Thread[1];
        loop.call(() -> {
          loop.dispatcher.createTimer(() -> {
            ranOn[0] = Thread.currentThread();
            fired.countDown();
          }).enable(Duration.ofMillis(1));
          return null;
        });
        fired.await();
        assertEquals(loop.thread, ranOn[0]);
      }
    });
  }
}
