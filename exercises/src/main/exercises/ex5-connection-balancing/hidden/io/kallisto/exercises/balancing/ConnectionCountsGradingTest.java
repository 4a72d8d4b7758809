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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
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
        operate(r, exactTie, 15);
      } catch (RuntimeException e) {
        throw fail("the last operation threw " + e);
      }
    }

    private void operate(SplittableRandom r, boolean exactTie, int openAnyPercent) {
      int roll = r.nextInt(100);
      int w;
      if (roll < 45) {
        w = checkPick(exactTie);
        did("pick()=" + w + " opened(" + w + ")");
        yours.opened(w);
        model[w]++;
      } else if (roll < 45 + openAnyPercent) {
        w = r.nextInt(model.length);
        did("opened(" + w + ")");
        yours.opened(w);
        model[w]++;
      } else {
        w = next(r.nextInt(model.length), true);
        if (w < 0) {
          return;
        }
        did("closed(" + w + ")");
        yours.closed(w);
        model[w]--;
      }
      checkCount(w);
      checkPick(exactTie);
    }

    /** The first worker from {@code from} on, cyclically, with (or without) a connection; -1. */
    private int next(int from, boolean withConnection) {
      for (int k = 0, w = from; k < model.length; k++, w = (w + 1) % model.length) {
        if ((model[w] > 0) == withConnection) {
          return w;
        }
      }
      return -1;
    }

    void checkAll() {
      for (int w = 0; w < model.length; w++) {
        checkCount(w);
      }
    }

    /**
     * A call the contract refuses: a close of a worker with none open (a second close of its
     * last connection, or of one never opened), or a worker that does not exist. It must throw
     * that exception and change nothing: every count and the pick stay as they were.
     */
    void refusedStep(SplittableRandom r) {
      step++;
      int n = model.length;
      int roll = r.nextInt(4);
      String call;
      Class<? extends RuntimeException> expected = IndexOutOfBoundsException.class;
      int[] bad = {-1, n, n + 1 + r.nextInt(1_000), Integer.MIN_VALUE, Integer.MAX_VALUE};
      Runnable op;
      if (roll == 0) {
        int idle = next(r.nextInt(n), false);
        if (idle < 0) {
          return;
        }
        call = "closed(" + idle + ") with count 0";
        expected = IllegalStateException.class;
        op = () -> yours.closed(idle);
      } else {
        int outside = bad[r.nextInt(bad.length)];
        call = (roll == 1 ? "closed(" : roll == 2 ? "opened(" : "count(") + outside + ")";
        op = roll == 1 ? () -> yours.closed(outside) : roll == 2 ? () -> yours.opened(outside)
            : () -> yours.count(outside);
      }
      did(call);
      int pickBefore = yours.pick();
      RuntimeException thrown = null;
      try {
        op.run();
      } catch (RuntimeException e) {
        thrown = e;
      }
      if (!expected.isInstance(thrown)) {
        throw fail("expected " + call + " to throw " + expected.getSimpleName() + ", but it "
            + (thrown == null ? "returned normally" : "threw " + thrown));
      }
      // The last operations in the message name the refused call.
      checkAll();
      if (yours.pick() != pickBefore) {
        throw fail("expected the refused " + call + " to change nothing, but pick() was "
            + pickBefore + " before it and " + yours.pick() + " after");
      }
      checkPick(false);
    }

    /** An open of the picked worker, or a close of a worker with a connection. */
    void validStep(SplittableRandom r) {
      step++;
      operate(r, false, 0);
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
  void refusedCallsAtAnyPointThrowAndChangeNothing() {
    // Few connections per worker, so that workers with nothing open (where a second close is
    // refused) are common; the refused calls come between ordinary ones, on 1 to 40 workers.
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (long seed = 1; seed <= 30; seed++) {
        SplittableRandom r = new SplittableRandom(seed);
        Run run = new Run(seed, 1 + r.nextInt(seed <= 3 ? 2 : 40));
        for (int i = 0; i < 1_000; i++) {
          try {
            if (r.nextInt(100) < 20) {
              run.refusedStep(r);
            } else {
              run.validStep(r);
            }
          } catch (RuntimeException e) {
            throw run.fail("the last operation threw " + e);
          }
        }
        run.checkAll();
      }
    }, "expected the refused-call tests to finish within 30 s");
  }

  @Test
  @Points(1)
  void aWorkerOutOfRangeIsNamedInTheExceptionWithTheValidRange() {
    HeapConnectionCounts counts = new HeapConnectionCounts(3);
    List<String> wrong = new ArrayList<>();
    for (int bad : new int[] {-1, 3, 7}) {
      String[] calls = {"opened(" + bad + ")", "closed(" + bad + ")", "count(" + bad + ")"};
      Runnable[] ops = {() -> counts.opened(bad), () -> counts.closed(bad),
          () -> counts.count(bad)};
      for (int k = 0; k < ops.length; k++) {
        try {
          ops[k].run();
          wrong.add(calls[k] + " returned normally");
        } catch (IndexOutOfBoundsException e) {
          String m = String.valueOf(e.getMessage());
          if (!m.contains(Integer.toString(bad)) || !m.contains("2")) {
            wrong.add(calls[k] + ": \"" + m + "\"");
          }
        } catch (RuntimeException e) {
          wrong.add(calls[k] + " threw " + e);
        }
      }
    }
    assertEquals(List.of(), wrong, "expected each IndexOutOfBoundsException to name the worker"
        + " asked for and the last valid one, 2 (for example \"worker 7; there are workers 0 to"
        + " 2\"): an error message carries the bad value and what would be right");
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
    // CPU time of this thread, not wall time (a loaded machine stalls a thread, it does not
    // make it do more work), per pick-and-open or close, on 256 and on 262,144 workers, each the
    // best of several rounds. O(log n) costs a few times more on the big one (2x the levels,
    // and cache misses); a scan of every worker, per pick or per close, about 1,000 times more.
    int small = 1 << 8;
    int large = 1 << 18;
    double maxGrowth = 40;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      Churn few = new Churn(small, 1);
      Churn many = new Churn(large, 2);
      // One unmeasured round each, so that both run compiled code when measured.
      few.run(20_000, threads);
      many.run(1_000, threads);
      double bestFew = Double.MAX_VALUE;
      double bestMany = Double.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        bestFew = Math.min(bestFew, few.run(20_000, threads));
        bestMany = Math.min(bestMany, many.run(1_000, threads));
      }
      double growth = bestMany / bestFew;
      System.out.printf("pick and open, or close: %.0f ns on %,d workers, %.0f ns on %,d:"
          + " %.1fx%n", bestFew, small, bestMany, large, growth);
      if (growth > maxGrowth) {
        throw new AssertionError(String.format("expected an operation on %,d workers to cost at"
            + " most %.0fx what it costs on %,d, but it cost %.0fx: %.0f ns against %.0f ns (CPU"
            + " time, the best of 5 rounds): pick() reads the root of the heap, and"
            + " opened()/closed() move one worker by O(log n) steps from the slot it is in;"
            + " a scan of every worker, to pick or to find the worker's slot, is O(n)", large,
            maxGrowth, small, growth, bestMany, bestFew));
      }
      many.checkTotal();
    }, "expected the cost test to finish within 40 s");
  }

  /**
   * Counts with about one connection for every two workers: each operation either opens one on
   * the picked worker or closes a random open one, in turns.
   */
  private static final class Churn {
    final HeapConnectionCounts counts;
    final SplittableRandom random;
    final int[] open; // the worker of each connection still open
    int size;

    Churn(int workers, long seed) {
      counts = new HeapConnectionCounts(workers);
      random = new SplittableRandom(seed);
      open = new int[workers];
      // Every other worker gets one: opened() directly, so that even a scan per pick sets up
      // quickly and fails on the measurement, not on a timeout.
      for (int w = 1; w < workers; w += 2) {
        counts.opened(w);
        open[size++] = w;
      }
    }

    private void openOne() {
      int w = counts.pick();
      counts.opened(w);
      open[size++] = w;
    }

    /** Nanoseconds of CPU time per operation, over {@code ops} of them. */
    double run(int ops, ThreadMXBean threads) {
      boolean cpu = threads.isCurrentThreadCpuTimeSupported();
      long start = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
      for (int i = 0; i < ops; i++) {
        if ((i & 1) == 0) {
          openOne();
        } else {
          int k = random.nextInt(size);
          counts.closed(open[k]);
          open[k] = open[--size];
        }
      }
      return (double) ((cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start)
          / ops;
    }

    void checkTotal() {
      long total = 0;
      for (int w = 0; w < counts.workers(); w++) {
        total += counts.count(w);
      }
      assertEquals(size, total, "expected the counts to add up to the " + size
          + " connections still open");
    }
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
