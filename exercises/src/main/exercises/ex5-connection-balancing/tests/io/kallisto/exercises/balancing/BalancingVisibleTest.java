package io.kallisto.exercises.balancing;

import static io.kallisto.exercises.balancing.CheckedCounts.assertNone;
import static io.kallisto.exercises.balancing.SimulatedAcceptor.ms;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests you have: run them with {@code kallisto grade ex5 --src DIR}, or {@code mvn test} in
 * the hand-out. A simulated test that fails names its seed and a {@code .ktrace} of the run.
 */
@ExtendWith(TraceOnFailure.class)
class BalancingVisibleTest {

  @Test
  @Points(1)
  void newCountsAreZeroAndPickWorkerZero() {
    HeapConnectionCounts counts = new HeapConnectionCounts(3);
    assertEquals(3, counts.workers(), "expected workers() to be the number given, 3");
    for (int w = 0; w < 3; w++) {
      assertEquals(0, counts.count(w), "expected count(" + w + ") 0 before any connection");
    }
    assertEquals(0, counts.pick(), "expected pick() 0 when every count is 0 (ties go to the"
        + " lowest index)");
  }

  @Test
  @Points(2)
  void connectionsFillTheWorkersInIndexOrder() {
    HeapConnectionCounts counts = new HeapConnectionCounts(3);
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int w = counts.pick();
      picks.add(w);
      counts.opened(w);
    }
    // The least loaded, lowest index first: 0 1 2, then again, then 0.
    assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), picks, "expected 7 pick-then-open rounds over"
        + " 3 workers to pick these workers");
    assertEquals("[3, 2, 2]", Arrays.toString(new int[] {counts.count(0), counts.count(1),
        counts.count(2)}), "expected the counts after 7 opens");
  }

  @Test
  @Points(2)
  void aCloseMakesThatWorkerTheNextPick() {
    HeapConnectionCounts counts = new HeapConnectionCounts(4);
    for (int w = 0; w < 4; w++) {
      counts.opened(w);
      counts.opened(w);
    }
    counts.closed(2);
    assertEquals(2, counts.pick(), "expected pick() 2 after closed(2): counts [2, 2, 1, 2]");
    counts.closed(3);
    assertEquals(2, counts.pick(), "expected pick() 2 with counts [2, 2, 1, 1]: a tie goes to"
        + " the lowest index");
    counts.closed(3);
    assertEquals(3, counts.pick(), "expected pick() 3 with counts [2, 2, 1, 0]");
    counts.opened(3);
    counts.opened(3);
    assertEquals(2, counts.pick(), "expected pick() 2 with counts [2, 2, 1, 2]");
    assertEquals(2, counts.count(3), "expected count(3) 2 after two closes and two opens");
  }

  @Test
  @Points(1)
  void aCloseWithNoOpenConnectionIsRejected() {
    HeapConnectionCounts counts = new HeapConnectionCounts(2);
    counts.opened(1);
    assertThrows(IllegalStateException.class, () -> counts.closed(0), "expected closed(0)"
        + " to throw IllegalStateException: worker 0 has no open connection counted");
    assertEquals(0, counts.count(0), "expected a rejected closed(0) to leave count(0) at 0");
    assertEquals(0, counts.pick(), "expected pick() 0 after the rejected close: counts [0, 1]");
  }

  @Test
  @Points(3)
  void simulatedConnectionsOpenEvenlyAcrossWorkers(Seeds seeds) {
    seeds.check(10, 2, sim -> {
      SimulatedAcceptor rig = new SimulatedAcceptor(sim, 3, 2);
      rig.openAt(0, ms(0), 4);
      rig.openAt(1, ms(0), 3);
      rig.run();
      assertNone("expected every pick counted at once, on a least-loaded worker",
          rig.counts.breaches(CheckedCounts.COUNTING));
      assertEquals(7, rig.accepted(), "expected 7 connections accepted");
      int[] truth = rig.truth();
      assertEquals(1, SimulatedAcceptor.spread(truth), "expected 7 connections over 3 workers"
          + " to open as 3, 2, 2 in some order, but the workers have " + Arrays.toString(truth));
      assertNone("expected the counts to equal the connections each worker has open",
          rig.settledMismatch());
    });
  }

  @Test
  @Points(3)
  void aClosedConnectionIsCountedOnTheAcceptorsLoop(Seeds seeds) {
    seeds.check(10, 2, sim -> {
      SimulatedAcceptor rig = new SimulatedAcceptor(sim, 2, 1);
      List<Conn> conns = rig.openAt(0, ms(0), 4);
      rig.clientClosesAt(conns.get(0), ms(1));
      rig.clientClosesAt(conns.get(3), ms(1));
      rig.run();
      assertNone("expected every call on the counts on the acceptor's loop",
          rig.counts.breaches(Breach.OFF_LOOP));
      assertNone("expected each close counted once, on its own worker",
          rig.counts.breaches(CheckedCounts.COUNTING));
      assertEquals(2, rig.closed(), "expected 2 connections closed");
      assertNone("expected the counts to equal the connections each worker has open",
          rig.settledMismatch());
    });
  }

  @Test
  @Points(1)
  void assignOffTheAcceptorsLoopIsRejected(Seeds seeds) {
    seeds.check(1, 1, sim -> {
      SimulatedDispatcher acceptor = sim.createDispatcher("acceptor");
      SimulatedDispatcher other = sim.createDispatcher("worker-0");
      PostingAcceptorBalancer b = new PostingAcceptorBalancer(acceptor,
          new HeapConnectionCounts(2));
      Throwable[] thrown = new Throwable[1];
      other.post(() -> {
        try {
          b.assign();
        } catch (Throwable e) {
          thrown[0] = e;
        }
      });
      sim.runUntilIdle();
      assertEquals(IllegalStateException.class, thrown[0] == null ? null : thrown[0].getClass(),
          "expected assign() on worker-0's loop to throw IllegalStateException; it threw "
          + thrown[0]);
    });
  }

  @Test
  @Points(2)
  void realSocketsOpenEvenlyAndCountTheirCloses() {
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      try (SocketAcceptor rig = new SocketAcceptor(2, 1)) {
        rig.openBurst(6, 0);
        assertArrayEquals(new int[] {3, 3}, rig.truth(), "expected 6 connections over 2"
            + " workers to open 3 and 3");
        assertNone("expected the counts to equal the connections each worker has open",
            rig.settledMismatch());
        rig.closeOldest(0, 4);
        assertNone("expected the counts to equal the connections each worker has open",
            rig.settledMismatch());
        assertNone("expected every pick on a least-loaded worker and each close counted once,"
            + " on the acceptor's loop", rig.counts.breaches(Breach.OFF_LOOP, Breach.NOT_LEAST,
            Breach.NOT_COUNTED, Breach.UNREPORTED_CLOSE, Breach.NEGATIVE, Breach.WRONG_COUNT,
            Breach.THREW));
        assertNone("the test's rig itself failed", rig.problems());
      }
    }, "expected the test to finish within 40 s");
  }
}
