package io.kallisto.exercises.balancing;

import static io.kallisto.exercises.balancing.CheckedCounts.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.balancing.CheckedCounts.Breach;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: YOUR balancer behind a single acceptor on real sockets on 127.0.0.1, with
 * real worker loops. Real threads interleave differently each run, so these assert safety only
 * (counts equal to the open connections, never negative, each close counted once, only the
 * acceptor writes), over several runs, and report how many failed.
 */
@ExtendWith(TraceOnFailure.class)
class SocketBalancingGradingTest {
  private static final int RUNS = 3;

  /** Everything but the tie-break, graded elsewhere. */
  private static final Breach[] CONTRACT = {Breach.OFF_LOOP, Breach.NOT_LEAST,
      Breach.NOT_COUNTED, Breach.UNREPORTED_CLOSE, Breach.NEGATIVE, Breach.WRONG_COUNT,
      Breach.THREW};

  @Test
  @Points(8)
  void concurrentOpensAndClosesOnRealSocketsLeaveTheTrueCounts() {
    assertTimeoutPreemptively(Duration.ofSeconds(50), () -> {
      int failed = 0;
      int runs = 0;
      String first = null;
      while (runs < RUNS) {
        runs++;
        String problem = oneChurnRun(runs);
        if (problem != null) {
          failed++;
          first = first == null ? "run " + runs + ": " + problem : first;
        }
      }
      assertEquals(0, failed, "expected the counts to equal the connections open after two"
          + " clients opened and closed connections concurrently, in all " + RUNS + " runs;"
          + " failed in " + failed + " of " + runs + " runs; first: " + first);
    }, "expected " + RUNS + " runs of real-socket churn within 50 s");
  }

  /** Returns null, or what went wrong. */
  private static String oneChurnRun(int run) {
    try (SocketAcceptor rig = new SocketAcceptor(4, 2)) {
      rig.churn(run, 200, 24);
      String p = rig.counts.breaches(CONTRACT);
      if (p != null) {
        return p;
      }
      p = rig.settledMismatch();
      if (p != null) {
        return "after the churn: " + p;
      }
      int[] totals = rig.clientTotals();
      int open = Arrays.stream(rig.truth()).sum();
      if (open != totals[0] - totals[1]) {
        return "the clients hold " + (totals[0] - totals[1]) + " connections but the workers"
            + " serve " + open + (rig.problems() == null ? "" : "; " + rig.problems());
      }
      rig.closeAll();
      p = rig.counts.breaches(CONTRACT);
      if (p != null) {
        return "after every client closed its connections: " + p;
      }
      p = rig.settledMismatch();
      if (p != null) {
        return "after every client closed its connections: " + p;
      }
      return rig.problems();
    } catch (AssertionError | RuntimeException e) {
      return e.getMessage() != null ? e.getMessage() : e.toString();
    }
  }

  @Test
  @Points(4)
  void aBurstOnRealSocketsOpensWithinOneOfEachOther() {
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      try (SocketAcceptor rig = new SocketAcceptor(4, 2)) {
        rig.openBurst(15, 0, 1);
        assertNone("expected every pick counted at once, on a"
            + " least-loaded worker, on the acceptor's loop", rig.counts.breaches(CONTRACT));
        int[] truth = rig.truth();
        assertTrue(SimulatedAcceptor.spread(truth) <= 1, "expected 30 connections over 4"
            + " workers to open within one of each other, but the workers have "
            + Arrays.toString(truth));
        assertNone("expected the counts to equal the connections each worker has open",
          rig.settledMismatch());
        assertNone("the test's rig itself failed", rig.problems());
      }
    }, "expected the test to finish within 40 s");
  }

  @Test
  @Points(2)
  void aCloseAfterTheAcceptorStoppedIsDroppedQuietly() {
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      try (SocketAcceptor rig = new SocketAcceptor(2, 1)) {
        rig.openBurst(4, 0);
        // As Server.close() does: the acceptor stops first, then the workers close what they
        // serve, and each close is reported to an acceptor that is gone.
        rig.stopAcceptor();
        rig.workersCloseEverything();
        assertNone("expected connectionClosed() to drop a close quietly once the acceptor's"
            + " dispatcher is closed", rig.counts.breaches(Breach.THREW));
      }
    }, "expected the test to finish within 40 s");
  }
}
