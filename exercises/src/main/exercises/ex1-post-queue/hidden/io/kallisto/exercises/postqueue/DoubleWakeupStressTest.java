package io.kallisto.exercises.postqueue;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.OptimizingCompiler;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Stress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: of two posts racing to wake a sleeping loop, exactly one writes the
 * wakeup.
 * Memory-ordering stress on real threads (jcstress style): each round races two threads on
 * fresh queues and gates, many rounds, and counts the outcomes the contract forbids. Lincheck's
 * model checker assumes sequential consistency; an x86-64 core may load before its own earlier
 * store is visible to the other core (StoreLoad reordering) unless a full fence (a volatile
 * write, an atomic read-modify-write) comes between them. The class runs with the optimising
 * compiler: C1 compiles a release store ({@code lazySet}, {@code setRelease}) as a volatile one,
 * and would hide it.
 */
@OptimizingCompiler
class DoubleWakeupStressTest {
  /** Overlapping rounds a test wants; the reference passes them, a racy variant fails early. */
  private static final long ROUNDS = 100_000;
  /** Wall time the test may take: it gives up (and passes, if nothing was seen) after this. */
  private static final Duration WALL = Duration.ofSeconds(4);
  private static final Duration LIMIT = Duration.ofSeconds(40);

  /** Two posts racing to wake a loop that is asleep. */
  private static final class WakeRace {
    final WakeupGate gate = new WakeupGate();
    final boolean slept = gate.prepareToSleep(new LinkedPostQueue());
    boolean first;
    boolean second;
  }

  @Test
  @Points(4)
  void twoPostsRacingToWakeASleepingLoopWriteExactlyOneWakeup() {
    assertTimeoutPreemptively(LIMIT, () -> Stress.of(WakeRace::new)
        .actor(s -> s.first = s.gate.onPost())
        .actor(s -> s.second = s.gate.onPost())
        .forbid(s -> !s.slept ? "prepareToSleep() with an empty queue returned false"
            : s.first && s.second ? "both onPost() calls returned true (two wakeups written)"
            : !s.first && !s.second ? "neither onPost() returned true (the loop is never woken)"
            : null)
        .run(ROUNDS, WALL)
        .assertPassed("exactly one of two posts racing to a sleeping loop to write"
            + " the wakeup (onPost() must move ASLEEP to AWAKE in one atomic step)"));
  }
}
