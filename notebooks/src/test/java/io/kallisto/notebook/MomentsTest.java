package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows chosen from a real loop's trace: a post that woke it, a long callback, a steady turn. */
class MomentsTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final long SPIN_CPU_NANOS = 100_000_000;

  @TempDir
  static Path dir;
  static Path trace;
  static long spinStart;
  static long spinNanos;

  /**
   * One loop: 200 quick posts, each made while it sleeps, one callback of 100 ms CPU, then 400
   * more quick posts.
   */
  @BeforeAll
  static void recordATrace() {
    trace = dir.resolve("moments.ktrace");
    assertTimeoutPreemptively(BOUND, () -> {
      Tracing.start(trace);
      try (Dispatcher d = Dispatchers.create("moments")) {
        Thread loop = new Thread(() -> d.run(RunType.RUN_UNTIL_EXIT), "moments-loop");
        loop.start();
        postWhileAsleep(d, 200);
        CountDownLatch spun = new CountDownLatch(1);
        d.post(() -> {
          // CPU time, not wall time: on a loaded machine a quick callback descheduled for a few
          // ms could outlast a wall-clock spin, but not one that has to burn this much CPU.
          ThreadMXBean threads = ManagementFactory.getThreadMXBean();
          spinStart = System.nanoTime();
          long cpuUntil = threads.getCurrentThreadCpuTime() + SPIN_CPU_NANOS;
          while (threads.getCurrentThreadCpuTime() < cpuUntil) {
            Thread.onSpinWait();
          }
          spinNanos = System.nanoTime() - spinStart;
          spun.countDown();
        });
        spun.await();
        postWhileAsleep(d, 400); // ordinary iterations after the spin, for steadyTurn
        d.exit();
        loop.join();
      } finally {
        Tracing.stop();
      }
    });
  }

  /** Posts {@code n} no-ops, each once the loop is asleep, each waiting for the last to run. */
  private static void postWhileAsleep(Dispatcher d, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      while (!d.isAsleep()) {
        LockSupport.parkNanos(50_000); // wait for the loop to sleep: the post must wake it
      }
      CountDownLatch ran = new CountDownLatch(1);
      d.post(ran::countDown);
      ran.await();
    }
  }

  @Test
  void theFirstWakeupWindowHoldsTheFirstPostThatWokeTheLoopAndItsCallback() {
    Window w = Moments.firstWakeup(trace);
    assertTrue(w.why().contains("posted to a sleeping loop"), w.why());
    assertTrue(w.why().contains("callback ran"), w.why());
    assertTrue(w.length().toNanos() < 50_000_000, "a window around one wakeup: " + w);
  }

  @Test
  void theLongestCallbackWindowHoldsTheSpinningCallback() {
    Window w = Moments.longestCallback(trace, "moments-loop");
    try (TraceFile t = TraceFile.open(trace)) {
      long at = spinStart - t.firstTime();
      assertTrue(w.from().toNanos() <= at && w.to().toNanos() >= at + spinNanos,
          "the window " + w + " holds the spin at " + at);
    }
    assertTrue(w.why().startsWith("moments-loop: the longest callback"), w.why());
    // Without requests in the trace, the worst blocker is the longest callback.
    assertEquals(w, Moments.worstBlocker(trace));
  }

  @Test
  void aSteadyTurnWindowSpansTheIterationsAskedFor() {
    Window w = Moments.steadyTurn(trace, "moments-loop", 3);
    assertTrue(w.why().contains("3 ordinary iterations"), w.why());
  }

  @Test
  void aMissingThreadIsNamedWithTheThreadsThereAre() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Moments.steadyTurn(trace, "worker-9", 3));
    assertTrue(e.getMessage().contains("no thread 'worker-9'")
        && e.getMessage().contains("moments-loop"), e.getMessage());
  }
}
