package io.kallisto.exercises.timers;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.Points;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: what a remove costs as the queue grows. A {@code TimerNode} offers no
 * hook to count the work done on it (its methods are final), so this one measures: the CPU time
 * of this thread (a loaded machine stalls a thread, it does not make it do more work) per
 * remove-and-re-add, on queues 1,024 times apart in size, each the best of several rounds.
 * O(log n) makes the big queue's operations cost a few times more (about 2x the levels, plus
 * cache misses); a search of the array makes them cost about 1,000 times more.
 */
class TimerQueueCostGradingTest {
  private static final int SMALL = 1 << 10;
  private static final int LARGE = 1 << 20;
  private static final int SMALL_OPS = 20_000;
  private static final int LARGE_OPS = 1_000;
  private static final int ROUNDS = 5;
  /** About 10x what O(log n) costs here under load, and 1/5 of what a search costs. */
  private static final double MAX_GROWTH = 150;

  @Test
  @Points(4)
  void removeCostGrowsLikeLogNNotLikeN() {
    assertTimeoutPreemptively(Duration.ofSeconds(45), () -> {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Churn small = new Churn(SMALL, 1);
      Churn large = new Churn(LARGE, 2);
      // One unmeasured round each, so that both run compiled code when measured.
      small.run(SMALL_OPS, threads);
      large.run(LARGE_OPS, threads);
      double bestSmall = Double.MAX_VALUE;
      double bestLarge = Double.MAX_VALUE;
      for (int r = 0; r < ROUNDS; r++) {
        bestSmall = Math.min(bestSmall, small.run(SMALL_OPS, threads));
        bestLarge = Math.min(bestLarge, large.run(LARGE_OPS, threads));
      }
      double growth = bestLarge / bestSmall;
      System.out.printf("remove and re-add: %.0f ns on %,d timers, %.0f ns on %,d: %.1fx%n",
          bestSmall, SMALL, bestLarge, LARGE, growth);
      if (growth > MAX_GROWTH) {
        throw new AssertionError(String.format("expected a remove on %,d timers to cost at most"
            + " %.0fx what it costs on %,d (O(log n): the node's queueIndex says where it is),"
            + " but it cost %.0fx: %.0f ns against %.0f ns (CPU time, the best of %d rounds)."
            + " Does remove() search the array for the node?", LARGE, MAX_GROWTH, SMALL, growth,
            bestLarge, bestSmall, ROUNDS));
      }
    }, "expected the remove-cost test to finish within 45 s: remove() on a million timers"
        + " should take about a microsecond");
  }

  /** A full queue whose random nodes are removed and added again with new deadlines. */
  private static final class Churn {
    final QuadHeapTimerQueue q = new QuadHeapTimerQueue();
    final Node[] nodes;
    final SplittableRandom random;
    long sequence;

    Churn(int size, long seed) {
      random = new SplittableRandom(seed);
      nodes = new Node[size];
      for (int i = 0; i < size; i++) {
        nodes[i] = new Node("n", random.nextLong(1L << 40), sequence++);
        q.add(nodes[i]);
      }
    }

    /** Nanoseconds of CPU time per remove and re-add, over {@code ops} of them. */
    double run(int ops, ThreadMXBean threads) {
      boolean cpu = threads.isCurrentThreadCpuTimeSupported();
      long start = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
      for (int i = 0; i < ops; i++) {
        Node n = nodes[random.nextInt(nodes.length)];
        q.remove(n);
        q.add(n.reschedule(random.nextLong(1L << 40), sequence++));
      }
      long used = (cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start;
      if (q.size() != nodes.length) {
        throw new AssertionError("expected size() to stay " + nodes.length + " while nodes are"
            + " removed and added again, but it was " + q.size());
      }
      return (double) used / ops;
    }
  }
}
