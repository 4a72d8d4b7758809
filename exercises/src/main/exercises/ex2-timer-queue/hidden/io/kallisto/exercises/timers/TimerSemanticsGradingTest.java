package io.kallisto.exercises.timers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.MpscChunkedPostQueue;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.event.nio.NioDispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: the Envoy timer semantics of docs/engine.md, on the engine's real loop
 * with YOUR queue. Every timer is set and fired on one thread, so the order is deterministic;
 * deadlines are explicit, so a slow machine fires them late but in the same order.
 */
@ExtendWith(TraceOnFailure.class)
class TimerSemanticsGradingTest {

  /** Runs {@code body(dispatcher, recorder)} on a fresh loop, then the loop until idle. */
  private static List<String> onLoop(BiConsumer<NioDispatcher, List<String>> body) {
    List<String> fired = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      NioDispatcher d = NioDispatcher.create("ex2", new MpscChunkedPostQueue(),
          new QuadHeapTimerQueue());
      try {
        body.accept(d, fired);
        d.run(RunType.BLOCK);
      } finally {
        d.close();
      }
    }, "expected the loop to run out of timers and return (a timer stuck in the queue?)");
    return fired;
  }

  private static long ms(long n) {
    return Duration.ofMillis(n).toNanos();
  }

  @Test
  @Points(4)
  void dueTimersFireInDeadlineOrder() {
    List<String> fired = onLoop((d, rec) -> {
      long base = d.now();
      int[] order = {4, 1, 5, 2, 3};
      for (int k : order) {
        d.createTimer(() -> rec.add("t" + k)).enableAt(base + ms(k));
      }
    });
    // t1 .. t5 by deadline, whatever the enable order.
    assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), fired);
  }

  @Test
  @Points(4)
  void reEnablingAPendingTimerReplacesItsDeadlineEarlierOrLater() {
    List<String> fired = onLoop((d, rec) -> {
      long base = d.now();
      Timer a = d.createTimer(() -> rec.add("a"));
      Timer b = d.createTimer(() -> rec.add("b"));
      Timer c = d.createTimer(() -> rec.add("c"));
      a.enableAt(base + ms(1));
      b.enableAt(base + ms(2));
      c.enableAt(base + ms(3));
      a.enableAt(base + ms(5)); // later
      c.enableAt(base + ms(0)); // earlier
    });
    // c (now 0 ms), b (2 ms), a (now 5 ms); each exactly once.
    assertEquals(List.of("c", "b", "a"), fired, "expected a re-enabled timer to fire once, at"
        + " its new deadline");
  }

  @Test
  @Points(4)
  void aDisabledTimerNeverFires() {
    List<String> fired = onLoop((d, rec) -> {
      long base = d.now();
      List<Timer> timers = new ArrayList<>();
      for (int k = 0; k < 9; k++) {
        int id = k;
        Timer t = d.createTimer(() -> rec.add("t" + id));
        t.enableAt(base + ms(k));
        timers.add(t);
      }
      timers.get(5).disable();
      timers.get(2).disable();
      assertFalse(timers.get(5).enabled(), "expected enabled() false after disable()");
    });
    assertEquals(List.of("t0", "t1", "t3", "t4", "t6", "t7", "t8"), fired,
        "expected the disabled timers t2 and t5 not to fire");
  }

  @Test
  @Points(4)
  void aTimerDisabledByAnEarlierCallbackInTheSameIterationDoesNotFire() {
    List<String> fired = onLoop((d, rec) -> {
      long base = d.now();
      Timer[] second = new Timer[1];
      Timer first = d.createTimer(() -> {
        rec.add("first");
        second[0].disable();
      });
      second[0] = d.createTimer(() -> rec.add("second"));
      // Same deadline: both are due in the same iteration, first by enable order.
      first.enableAt(base + ms(1));
      second[0].enableAt(base + ms(1));
    });
    assertEquals(List.of("first"), fired);
  }

  @Test
  @Points(4)
  void aTimerReArmedInItsCallbackFiresAgain() {
    List<String> fired = onLoop((d, rec) -> {
      Timer[] self = new Timer[1];
      self[0] = d.createTimer(() -> {
        rec.add("tick");
        if (rec.size() < 3) {
          self[0].enable(Duration.ofMillis(1));
          assertTrue(self[0].enabled(), "expected enabled() true right after a re-arm");
        }
      });
      self[0].enable(Duration.ofMillis(1));
    });
    assertEquals(List.of("tick", "tick", "tick"), fired, "expected a timer that re-arms itself"
        + " in its callback to fire 3 times");
  }

  @Test
  @Points(3)
  void aZeroMsTimerEnabledInACallbackFiresAfterTheTimersAlreadyDue() {
    List<String> fired = onLoop((d, rec) -> {
      long base = d.now();
      Timer late = d.createTimer(() -> rec.add("zero"));
      Timer a = d.createTimer(() -> {
        rec.add("a");
        late.enable(Duration.ZERO);
      });
      Timer b = d.createTimer(() -> rec.add("b"));
      a.enableAt(base + ms(1));
      b.enableAt(base + ms(1));
    });
    // a and b are due together; zero, enabled inside a, runs after both.
    assertEquals(List.of("a", "b", "zero"), fired);
  }
}
