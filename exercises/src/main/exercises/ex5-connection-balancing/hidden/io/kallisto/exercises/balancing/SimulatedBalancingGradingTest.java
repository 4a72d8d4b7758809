package io.kallisto.exercises.balancing;

import static io.kallisto.exercises.balancing.CheckedCounts.assertNone;
import static io.kallisto.exercises.balancing.SimulatedAcceptor.ms;
import static io.kallisto.exercises.balancing.SimulatedAcceptor.spread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.balancing.CheckedCounts.Breach;
import io.kallisto.exercises.balancing.SimulatedAcceptor.Conn;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Seeds;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.sim.SimulatedDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: YOUR balancer behind a single acceptor on the simulated backend, 50
 * seeds each (each seed another interleaving of the acceptor, worker and client loops). A
 * failure names the seed; {@code kallisto grade ex5 --seed N} replays it, and the message names
 * the {@code .ktrace} of the failing run.
 */
@ExtendWith(TraceOnFailure.class)
class SimulatedBalancingGradingTest {
  private static final int SEEDS = 50;

  /** Everything but the tie-break and the thread, each graded on its own. */
  private static final Breach[] CONTRACT = CheckedCounts.COUNTING;

  @Test
  @Points(6)
  void burstsOfConnectionsOpenEvenlyAcrossWorkers(Seeds seeds) {
    seeds.check(SEEDS, 2, sim -> {
      SplittableRandom r = new SplittableRandom(sim.seed());
      int workers = 3 + r.nextInt(6);
      SimulatedAcceptor rig = new SimulatedAcceptor(sim, workers, 3);
      int total = 0;
      for (int burst = 0; burst < 8; burst++) {
        int n = 1 + r.nextInt(2 * workers);
        // A few shared instants, so that bursts from different clients reach the acceptor
        // together and it accepts them in one iteration.
        rig.openAt(r.nextInt(3), ms(r.nextInt(4) * 0.05), n);
        total += n;
      }
      rig.run();
      assertNone("expected every pick to count at once, on a"
          + " least-loaded worker", rig.counts.breaches(CONTRACT));
      assertEquals(total, rig.accepted(), "expected every connection accepted");
      int[] truth = rig.truth();
      assertTrue(spread(truth) <= 1, "expected " + total + " connections over " + workers
          + " workers to open within one of each other (max - min <= 1), but the workers have "
          + Arrays.toString(truth));
      assertNone("expected the counts to equal the connections each worker has open",
          rig.settledMismatch());
    });
  }

  @Test
  @Points(4)
  void afterClosesSettleNewConnectionsRefillTheEmptiestWorkers(Seeds seeds) {
    seeds.check(SEEDS, 2, sim -> {
      SplittableRandom r = new SplittableRandom(sim.seed());
      int workers = 3 + r.nextInt(4);
      SimulatedAcceptor rig = new SimulatedAcceptor(sim, workers, 2);
      for (int burst = 0; burst < 4; burst++) {
        rig.openAt(burst % 2, ms(r.nextInt(10) * 0.1), workers);
      }
      rig.run();
      long now = sim.now();
      List<Conn> closing = new ArrayList<>();
      for (Conn c : rig.connections()) {
        if (r.nextInt(10) < 4) {
          closing.add(c);
          rig.clientClosesAt(c, now + ms(r.nextInt(10) * 0.1));
        }
      }
      rig.run();
      int[] before = rig.truth();
      int max = Arrays.stream(before).max().getAsInt();
      int deficit = Arrays.stream(before).map(c -> max - c).sum();
      int refill = deficit + r.nextInt(workers);
      now = sim.now();
      for (int left = refill, client = 0; left > 0; client ^= 1) {
        int n = Math.min(left, 1 + r.nextInt(workers));
        rig.openAt(client, now + ms(r.nextInt(3) * 0.05), n);
        left -= n;
      }
      rig.run();
      assertNone("expected every pick on a least-loaded worker"
          + " and every close counted once", rig.counts.breaches(CONTRACT));
      int[] after = rig.truth();
      // Least connections fills the emptiest workers first: the deficit levels them, and the
      // rest keeps them within one.
      assertTrue(spread(after) <= 1, "expected " + closing.size() + " closes (leaving "
          + Arrays.toString(before) + ") and then " + refill + " new connections to leave the"
          + " workers within one of each other, but they have " + Arrays.toString(after)
          + " (do closes reach the counts?)");
      assertNone("expected the counts to equal the connections each worker has open",
          rig.settledMismatch());
    });
  }

  /**
   * Scripts {@code n} connections from 3 clients over {@code span}: some closed by the client
   * (sometimes before the acceptor has even accepted them), some by the worker, some by both at
   * about the same time, some left open. Returns how many are left open.
   */
  private static int churn(SimulatedAcceptor rig, SplittableRandom r, int n, double spanMs) {
    int left = 0;
    for (int made = 0; made < n; ) {
      long at = ms(r.nextDouble() * spanMs);
      List<Conn> batch = rig.openAt(r.nextInt(3), at, Math.min(n - made, 1 + r.nextInt(3)));
      made += batch.size();
      for (Conn c : batch) {
        int roll = r.nextInt(10);
        if (roll < 3 || roll == 8) {
          rig.clientClosesAt(c, at + ms(r.nextDouble() * (roll == 0 ? 0.01 : 5)));
        }
        if (roll >= 3 && roll <= 5 || roll == 8) {
          rig.serverClosesAfter(c, Duration.ofNanos(ms(r.nextDouble() * 5)));
        }
        if (roll >= 6 && roll != 8) {
          left++;
        }
      }
    }
    return left;
  }

  @Test
  @Points(8)
  void countsMatchTheOpenConnectionsUnderChurn(Seeds seeds) {
    seeds.check(SEEDS, 3, sim -> {
      SplittableRandom r = new SplittableRandom(sim.seed());
      int workers = 2 + r.nextInt(6);
      SimulatedAcceptor rig = new SimulatedAcceptor(sim, workers, 3);
      int n = 150;
      int left = churn(rig, r, n, 20);
      rig.run();
      assertNone("expected counts never negative, each close counted once on its own worker,"
          + " and every pick on a least-loaded worker", rig.counts.breaches(CONTRACT));
      assertEquals(n, rig.accepted(), "expected every connection accepted");
      assertEquals(left, Arrays.stream(rig.truth()).sum(), "expected " + left + " of " + n
          + " connections still open on the workers");
      assertNone("expected the counts to equal the connections each worker has open",
          rig.settledMismatch());
      long now = sim.now();
      for (Conn c : rig.connections()) {
        rig.clientClosesAt(c, now + ms(r.nextDouble()));
      }
      rig.run();
      assertNone("expected every close counted once, and none"
          + " making a count negative", rig.counts.breaches(CONTRACT));
      assertArrayEquals(new int[workers], rig.truth(), "expected every connection closed");
      assertNone("expected the counts to equal the connections each worker has open",
          rig.settledMismatch());
    });
  }

  @Test
  @Points(5)
  void onlyTheAcceptorsLoopTouchesTheCounts(Seeds seeds) {
    seeds.check(20, 3, sim -> {
      SplittableRandom r = new SplittableRandom(sim.seed());
      SimulatedAcceptor rig = new SimulatedAcceptor(sim, 2 + r.nextInt(4), 3);
      churn(rig, r, 60, 10);
      rig.run();
      assertNone("expected every call on the counts on the acceptor's loop: a worker reports"
          + " a close by posting it there", rig.counts.breaches(Breach.OFF_LOOP));
      assertNone("expected connectionClosed() not to throw",
          rig.counts.breaches(Breach.THREW));
    });
  }

  @Test
  @Points(2)
  void aCloseReportedForAWorkerThatDoesNotExistIsRefusedOnTheCallersThread(Seeds seeds) {
    seeds.check(1, 1, sim -> {
      SimulatedDispatcher acceptor = sim.createDispatcher("acceptor");
      SimulatedDispatcher worker = sim.createDispatcher("worker-0");
      List<String> reachedTheCounts = new ArrayList<>();
      ConnectionCounts counts = new HeapConnectionCounts(3);
      // YOUR counts, recording every close that reaches them.
      ConnectionCounts seen = new ConnectionCounts() {
        @Override
        public int workers() {
          return counts.workers();
        }

        @Override
        public int pick() {
          return counts.pick();
        }

        @Override
        public void opened(int w) {
          counts.opened(w);
        }

        @Override
        public void closed(int w) {
          reachedTheCounts.add("closed(" + w + ")");
          counts.closed(w);
        }

        @Override
        public int count(int w) {
          return counts.count(w);
        }
      };
      PostingAcceptorBalancer balancer = new PostingAcceptorBalancer(acceptor, seen);
      acceptor.post(() -> {
        balancer.assign();
        balancer.assign();
      });
      sim.runUntilIdle();
      List<String> wrong = new ArrayList<>();
      worker.post(() -> {
        for (int w : new int[] {-1, 3, 4, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
          try {
            balancer.connectionClosed(w);
            wrong.add("connectionClosed(" + w + ") returned normally");
          } catch (IndexOutOfBoundsException expected) {
            // Refused where the mistake was made, naming it and the last valid worker.
            String m = String.valueOf(expected.getMessage());
            boolean small = w > -10 && w < 10;
            if (small && (!m.contains(Integer.toString(w)) || !m.contains("2"))) {
              wrong.add("connectionClosed(" + w + ") threw \"" + m + "\", which does not name "
                  + w + " and the last valid worker, 2");
            }
          } catch (RuntimeException e) {
            wrong.add("connectionClosed(" + w + ") threw " + e);
          }
        }
      });
      sim.runUntilIdle();
      assertEquals(List.of(), wrong, "expected connectionClosed(w) of a worker that does not"
          + " exist (there are workers 0 to 2) to throw IndexOutOfBoundsException, naming w and"
          + " the valid workers, on the worker's thread that called it: a close posted on to the"
          + " acceptor fails there, where nobody learns of the mistake");
      assertEquals(List.of(), reachedTheCounts, "expected no close of a worker that does not"
          + " exist to reach the counts on the acceptor's loop");
      int[] after = new int[3];
      acceptor.post(() -> {
        for (int w = 0; w < 3; w++) {
          after[w] = counts.count(w);
        }
      });
      sim.runUntilIdle();
      assertArrayEquals(new int[] {1, 1, 0}, after, "expected the refused closes to change no"
          + " count");
    });
  }
}
