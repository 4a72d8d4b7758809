package io.kallisto.exercises.balancing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.Points;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests: YOUR {@link HeapConnectionCounts} alone, against a model (an int per
 * worker and a scan), over seeded random operations; a failure names the seed and the step.
 */
class ConnectionCountsGradingTest {
  private static final int SEEDS = 50;
  private static final int STEPS = 3_000;

  /** The model and the last few operations, for the failure message. */
  private static final class Run {
    final long seed;
    final HeapConnectionCounts yours;
    final int[] model;
    final Deque<String> recent = new ArrayDeque<>();
    int step;

    Run(long seed, int workers) {
      this.seed = seed;
      yours = new HeapConnectionCounts(workers);
      model = new int[workers];
    }

    void did(String op) {
      recent.addLast(op);
      if (recent.size() > 8) {
        recent.removeFirst();
      }
    }

    AssertionError fail(String what) {
      return new AssertionError("seed " + seed + " (" + model.length + " workers), step " + step
          + ": " + what + "; the last operations: " + String.join(", ", recent)
          + (model.length <= 16 ? "; model counts " + Arrays.toString(model) : "")
          + " (replay: new SplittableRandom(" + seed + "))");
    }

    int least() {
      int best = 0;
      for (int w = 1; w < model.length; w++) {
        if (model[w] < model[best]) {
          best = w;
        }
      }
      return best;
    }

    /** pick() must hold the fewest connections; with {@code exactTie}, the lowest such index. */
    int checkPick(boolean exactTie) {
      int p = yours.pick();
      int least = least();
      if (p < 0 || p >= model.length) {
        throw fail("pick() returned " + p + ", which is not a worker");
      }
      if (model[p] != model[least]) {
        throw fail("pick() chose worker " + p + " with " + model[p] + " open, but worker "
            + least + " has only " + model[least]);
      }
      if (exactTie && p != least) {
        throw fail("pick() chose worker " + p + ", but worker " + least + " has as few ("
            + model[least] + ") and a lower index: ties go to the lowest index");
      }
      return p;
    }

    void checkCount(int w) {
      int c = yours.count(w);
      if (c != model[w]) {
        throw fail("count(" + w + ") is " + c + "; expected " + model[w]);
      }
    }

    /** One random operation: open the picked worker, open any worker, or close one. */
    void randomStep(SplittableRandom r, boolean exactTie) {
      step++;
      try {
        operate(r, exactTie);
      } catch (RuntimeException e) {
        throw fail("the last operation threw " + e);
      }
    }

    private void operate(SplittableRandom r, boolean exactTie) {
      int roll = r.nextInt(100);
      int w;
      if (roll < 45) {
        w = checkPick(exactTie);
        did("pick()=" + w + " opened(" + w + ")");
        yours.opened(w);
        model[w]++;
      } else if (roll < 60) {
        w = r.nextInt(model.length);
        did("opened(" + w + ")");
        yours.opened(w);
        model[w]++;
      } else {
        w = r.nextInt(model.length);
        for (int k = 0; k < model.length && model[w] == 0; k++) {
          w = (w + 1) % model.length; // the next worker with a connection, if any
        }
        if (model[w] == 0) {
          return;
        }
        did("closed(" + w + ")");
        yours.closed(w);
        model[w]--;
      }
      checkCount(w);
      checkPick(exactTie);
    }

    void checkAll() {
      for (int w = 0; w < model.length; w++) {
        checkCount(w);
      }
    }
  }

  @Test
  @Points(8)
  void randomOpensAndClosesMatchAModel() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (long seed = 1; seed <= SEEDS; seed++) {
        SplittableRandom r = new SplittableRandom(seed);
        Run run = new Run(seed, 1 + r.nextInt(seed <= 5 ? 4 : 70));
        for (int i = 0; i < STEPS; i++) {
          run.randomStep(r, false);
          if (i % 100 == 99) {
            run.checkAll();
          }
        }
        run.checkAll();
      }
    }, "expected " + SEEDS + " x " + STEPS + " operations to finish within 30 s");
  }

  @Test
  @Points(3)
  void tiesGoToTheLowestIndex() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (long seed = 1; seed <= 30; seed++) {
        SplittableRandom r = new SplittableRandom(seed);
        Run run = new Run(seed, 2 + r.nextInt(20));
        for (int i = 0; i < 600; i++) {
          run.randomStep(r, true);
        }
      }
    }, "expected the tie tests to finish within 30 s");
  }

  @Test
  @Points(3)
  void aQuarterMillionWorkersStayCheap() {
    int workers = 1 << 18;
    int ops = 300_000;
    // CPU time of this thread, not wall time: a loaded machine stalls a thread, it does not
    // make it do more work. The heap needs well under 1 s; a scan of every worker per pick
    // needs about a minute.
    long limitNanos = Duration.ofSeconds(3).toNanos();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      long start = cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime();
      HeapConnectionCounts counts = new HeapConnectionCounts(workers);
      SplittableRandom r = new SplittableRandom(18);
      int[] open = new int[ops]; // the worker of each connection still open
      int size = 0;
      for (int i = 0; i < ops; i++) {
        if (i % 3 == 2 && size > 0) {
          int k = r.nextInt(size);
          counts.closed(open[k]);
          open[k] = open[--size];
        } else {
          int w = counts.pick();
          counts.opened(w);
          open[size++] = w;
        }
        if (i % 1000 == 999) {
          long used = (cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start;
          if (used > limitNanos) {
            throw new AssertionError("expected " + ops + " picks, opens and closes over "
                + workers + " workers to take well under " + limitNanos / 1_000_000_000
                + " s of CPU, but " + (i + 1) + " took " + used / 1_000_000 + " ms: pick()"
                + " reads the root of the heap, and opened()/closed() move one worker by"
                + " O(log n) steps; a scan of every worker per pick is O(n)");
          }
        }
      }
      // 100,000 connections still open over 262,144 workers: each worker 0 or 1.
      int total = 0;
      for (int w = 0; w < workers; w++) {
        total += counts.count(w);
      }
      assertEquals(size, total, "expected the counts to add up to the " + size
          + " connections still open");
    }, "expected the test to finish within 40 s");
  }

  @Test
  @Points(2)
  void misuseIsRejectedAndChangesNothing() {
    assertThrows(IllegalArgumentException.class, () -> new HeapConnectionCounts(0),
        "expected new HeapConnectionCounts(0) to throw IllegalArgumentException");
    HeapConnectionCounts counts = new HeapConnectionCounts(3);
    counts.opened(2);
    assertThrows(IndexOutOfBoundsException.class, () -> counts.opened(3),
        "expected opened(3) with workers 0 to 2 to throw IndexOutOfBoundsException");
    assertThrows(IndexOutOfBoundsException.class, () -> counts.closed(-1),
        "expected closed(-1) to throw IndexOutOfBoundsException");
    assertThrows(IndexOutOfBoundsException.class, () -> counts.count(3),
        "expected count(3) with workers 0 to 2 to throw IndexOutOfBoundsException");
    assertThrows(IllegalStateException.class, () -> counts.closed(1),
        "expected closed(1) to throw IllegalStateException: worker 1 has no connection");
    int[] now = {counts.count(0), counts.count(1), counts.count(2)};
    assertArrayEquals(new int[] {0, 0, 1}, now, "expected the rejected calls to change"
        + " nothing: counts [0, 0, 1]");
    assertEquals(0, counts.pick(), "expected pick() 0 after the rejected calls");
    counts.opened(0);
    counts.opened(1);
    assertEquals(0, counts.pick(), "expected pick() 0 with counts [1, 1, 1]");
  }
}
