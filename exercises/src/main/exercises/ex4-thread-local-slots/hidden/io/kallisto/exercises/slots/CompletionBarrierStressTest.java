package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.OptimizingCompiler;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Stress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: memory-ordering stress of the barrier on real threads (jcstress style).
 * Each round races two threads on fresh barriers, many rounds, and counts the outcomes the
 * contract forbids. Lincheck's model checker assumes sequential consistency; an x86-64 core may
 * load before its own earlier store is visible to the other core (StoreLoad reordering) unless a
 * full fence (an atomic read-modify-write, a volatile write) comes between them. So two parties
 * that each record their arrival and then look at the other's can both miss each other, and the
 * barrier never completes: the completion of runOnAllThreads is lost. The class runs with the
 * optimising compiler: C1 compiles a release store ({@code lazySet}, {@code setRelease}) as a
 * volatile one, and would hide it.
 */
@OptimizingCompiler
class CompletionBarrierStressTest {
  private static final long ROUNDS = 100_000;
  private static final Duration WALL = Duration.ofSeconds(6);
  private static final Duration LIMIT = Duration.ofSeconds(40);
  /**
   * Barriers per round, raced in the same order by both threads: one side gets a little ahead
   * at each, so the race runs at many offsets into each other's code in one round.
   */
  private static final int BARRIERS = 8;

  /** Two parties arriving at the same barriers at once. */
  private static final class Arrivals {
    final CompletionBarrier[] barriers = new CompletionBarrier[BARRIERS];
    final boolean[] first = new boolean[BARRIERS];
    final boolean[] second = new boolean[BARRIERS];

    Arrivals() {
      for (int i = 0; i < BARRIERS; i++) {
        barriers[i] = new CompletionBarrier(2);
      }
    }

    void look() {
      for (CompletionBarrier b : barriers) {
        b.hasArrived(0);
        b.hasArrived(1);
      }
    }

    void arrive0() {
      for (int i = 0; i < BARRIERS; i++) {
        first[i] = barriers[i].arrive(0);
      }
    }

    void arrive1() {
      for (int i = 0; i < BARRIERS; i++) {
        second[i] = barriers[i].arrive(1);
      }
    }

    String problem() {
      for (int i = 0; i < BARRIERS; i++) {
        if (first[i] == second[i]) {
          return "arrive(0) and arrive(1), racing, both returned " + first[i] + " ("
              + barriers[i] + "): " + (first[i] ? "the completion would run twice"
                  : "the completion would never run");
        }
        if (!barriers[i].isComplete()) {
          return "both parties arrived but isComplete() is false (" + barriers[i] + ")";
        }
      }
      return null;
    }
  }

  @Test
  @Points(6)
  void twoPartiesArrivingAtOnceCompleteTheBarrierExactlyOnce() {
    assertTimeoutPreemptively(LIMIT, () -> Stress.of(Arrivals::new)
        .actor(Arrivals::look, Arrivals::arrive0)
        .actor(Arrivals::look, Arrivals::arrive1)
        .forbid(Arrivals::problem)
        .run(ROUNDS, WALL)
        .assertPassed("exactly one of two racing arrivals to complete the barrier"
            + " (record the arrival and learn whether it was the last in one atomic step, or with a"
            + " full fence between the record and the look: a lazySet or a plain write lets both"
            + " parties miss each other)"));
  }
}
