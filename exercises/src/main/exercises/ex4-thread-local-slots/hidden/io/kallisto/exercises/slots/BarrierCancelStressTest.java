package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.OptimizingCompiler;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Stress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: a cancel racing the last party's arrival, on real threads (jcstress
 * style): many rounds on fresh barriers, counting rounds in which both or neither won. Exactly
 * one may win: a cancel that looks at the word and then writes it (not one compare-and-set) can
 * overwrite the arrival that completed the barrier in between. The class runs with the
 * optimising compiler, as the code it grades runs in the engine.
 */
@OptimizingCompiler
class BarrierCancelStressTest {
  private static final long ROUNDS = 100_000;
  private static final Duration WALL = Duration.ofSeconds(4);
  private static final Duration LIMIT = Duration.ofSeconds(40);
  /**
   * Barriers per round, raced in the same order by both threads: one side gets a little ahead
   * at each, so the race runs at many offsets into each other's code in one round.
   */
  private static final int BARRIERS = 8;

  /** A cancel racing the last party's arrival. */
  private static final class CancelRace {
    final CompletionBarrier[] barriers = new CompletionBarrier[BARRIERS];
    final boolean[] arrivedLast = new boolean[BARRIERS];
    final boolean[] cancelled = new boolean[BARRIERS];

    CancelRace() {
      for (int i = 0; i < BARRIERS; i++) {
        barriers[i] = new CompletionBarrier(2);
        barriers[i].arrive(0);
      }
    }

    void look() {
      for (CompletionBarrier b : barriers) {
        b.isCancelled();
      }
    }

    void arrive() {
      for (int i = 0; i < BARRIERS; i++) {
        arrivedLast[i] = barriers[i].arrive(1);
      }
    }

    void cancel() {
      for (int i = 0; i < BARRIERS; i++) {
        cancelled[i] = barriers[i].cancel();
      }
    }

    String problem() {
      for (int i = 0; i < BARRIERS; i++) {
        CompletionBarrier b = barriers[i];
        if (arrivedLast[i] == cancelled[i]) {
          return "arrive(1) returned " + arrivedLast[i] + " and the racing cancel() returned "
              + cancelled[i] + " (" + b + ")";
        }
        if (b.isComplete() != arrivedLast[i] || b.isCancelled() != cancelled[i]) {
          return "arrive(1) returned " + arrivedLast[i] + " and cancel() " + cancelled[i]
              + ", but afterwards isComplete() is " + b.isComplete() + " and isCancelled() "
              + b.isCancelled();
        }
      }
      return null;
    }
  }

  @Test
  @Points(4)
  void aCancelRacingTheLastArrivalLetsExactlyOneWin() {
    assertTimeoutPreemptively(LIMIT, () -> Stress.of(CancelRace::new)
        .actor(CancelRace::look, CancelRace::arrive)
        .actor(CancelRace::look, CancelRace::cancel)
        .forbid(CancelRace::problem)
        .run(ROUNDS, WALL)
        .assertPassed("exactly one of the last arrival and a racing cancel() to win,"
            + " and the barrier to say which afterwards"));
  }
}
