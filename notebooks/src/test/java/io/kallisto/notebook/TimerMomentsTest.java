package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latest timer firing, found in a real loop's trace. */
class TimerMomentsTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final long HOLD_NANOS = 5_000_000;

  @TempDir
  static Path dir;
  static Path trace;

  /**
   * One loop, on thread "timer-loop": a timer every 200 µs, and a callback that holds the loop
   * for 5 ms just before the tenth deadline, so that the tenth firing is at least 4 ms late.
   */
  @BeforeAll
  static void recordATrace() {
    trace = dir.resolve("timers.ktrace");
    assertTimeoutPreemptively(BOUND, () -> {
      Tracing.start(trace);
      try {
        Thread loop = new Thread(() -> {
          try (Dispatcher d = Dispatchers.create("timer-loop")) {
            long start = d.now();
            int[] n = {0};
            Timer[] timer = new Timer[1];
            timer[0] = d.createTimer(() -> {
              n[0]++;
              if (n[0] == 9) {
                long until = d.now() + HOLD_NANOS;
                while (d.now() < until) {
                  Thread.onSpinWait();
                }
              }
              if (n[0] < 20) {
                timer[0].enableAt(start + (n[0] + 1) * 200_000L);
              } else {
                d.exit();
              }
            });
            timer[0].enableAt(start + 200_000L);
            d.run(RunType.RUN_UNTIL_EXIT);
          }
        }, "timer-loop");
        loop.start();
        loop.join();
      } finally {
        Tracing.stop();
      }
    });
  }

  /**
   * The window holds the firing that the trace itself shows to be the latest, from its deadline
   * to the end of its callback. Which firing that is depends on the machine (a loaded one may
   * deschedule the loop for longer than the held callback), so the test finds it in the trace.
   */
  @Test
  void theLatestFiringWindowHoldsTheLatestFiringInTheTrace() {
    long[] worst = {Long.MIN_VALUE, 0, 0}; // lateness, deadline and callback end from the start
    try (TraceFile t = TraceFile.open(trace)) {
      long first = t.firstTime();
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK && e.callbackKind() == CallbackKind.TIMER
            && e.time() - e.b() > worst[0]) {
          worst[0] = e.time() - e.b();
          worst[1] = e.b() - first;
          worst[2] = e.end() - first;
        }
      });
    }
    assertTrue(worst[0] >= 4_000_000L, "the held callback made a firing at least 4 ms late, and"
        + " the latest is " + worst[0] + " ns late");
    Window w = TimerMoments.latestFiring(trace, "timer-loop");
    assertTrue(w.from().toNanos() <= Math.max(0, worst[1]) && w.to().toNanos() >= worst[2],
        "the window " + w + " holds the latest firing, deadline " + worst[1] + " to end "
            + worst[2]);
    assertTrue(w.why().contains("latest timer firing, " + Numbers.micros(worst[0])), w.why());
  }

  @Test
  void anyThreadFindsTheSameFiringAndAnUnknownThreadIsNamed() {
    assertTrue(TimerMoments.latestFiring(trace, null).why().contains("timer-loop"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TimerMoments.latestFiring(trace, "no-such-thread"));
    assertTrue(e.getMessage().contains("no-such-thread"), e.getMessage());
  }
}
