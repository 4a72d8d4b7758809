package io.kallisto.exercises.postqueue;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.OptimizingCompiler;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Stress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: a post racing the loop's prepareToSleep never leaves the loop asleep with
 * the post queued and no wakeup written.
 * Memory-ordering stress on real threads (jcstress style): each round races two threads on
 * fresh queues and gates, many rounds, and counts the outcomes the contract forbids. Lincheck's
 * model checker assumes sequential consistency; an x86-64 core may load before its own earlier
 * store is visible to the other core (StoreLoad reordering) unless a full fence (a volatile
 * write, an atomic read-modify-write) comes between them. The class runs with the optimising
 * compiler: C1 compiles a release store ({@code lazySet}, {@code setRelease}) as a volatile one,
 * and would hide it.
 */
@OptimizingCompiler
class LostWakeupStressTest {
  /** Overlapping rounds a test wants; the reference passes them, a racy variant fails early. */
  private static final long ROUNDS = 100_000;
  /** Wall time the test may take: it gives up (and passes, if nothing was seen) after this. */
  private static final Duration WALL = Duration.ofSeconds(6);
  private static final Duration LIMIT = Duration.ofSeconds(40);
  private static final Runnable TASK = () -> { };

  /**
   * Posts (offer, then onPost) racing loops' prepareToSleep: {@link #PAIRS} queue-and-gate pairs,
   * which the two threads go through in the same order. The poster's side is the slower, so the
   * loop's side gets a little further ahead at each pair, and the race is run at many offsets
   * into each other's code in one round.
   */
  private static final class SleepRace {
    static final int PAIRS = 8;
    final LinkedPostQueue[] queues = new LinkedPostQueue[PAIRS];
    final WakeupGate[] gates = new WakeupGate[PAIRS];
    final boolean[] wroteWakeup = new boolean[PAIRS];
    final boolean[] sleeps = new boolean[PAIRS];

    SleepRace() {
      for (int i = 0; i < PAIRS; i++) {
        queues[i] = new LinkedPostQueue();
        gates[i] = new WakeupGate();
      }
    }

    void post() {
      for (int i = 0; i < PAIRS; i++) {
        queues[i].offer(TASK);
        wroteWakeup[i] = gates[i].onPost();
      }
    }

    /** The loop has just polled its queue empty: it looked at the queue, so the lines are here. */
    void lookAtQueues() {
      for (LinkedPostQueue q : queues) {
        q.isEmpty();
      }
    }

    void prepareToSleep() {
      for (int i = 0; i < PAIRS; i++) {
        sleeps[i] = gates[i].prepareToSleep(queues[i]);
      }
    }

    String lostWakeup() {
      for (int i = 0; i < PAIRS; i++) {
        if (sleeps[i] && !wroteWakeup[i]) {
          return "prepareToSleep() returned true (the loop sleeps) while the racing post's"
              + " onPost() returned false (no wakeup written), with the post queued";
        }
      }
      return null;
    }
  }

  @Test
  @Points(8)
  void aPostRacingWithPrepareToSleepNeverLeavesTheLoopAsleepWithoutAWakeup() {
    // Dekker: the poster publishes (offer) then checks (onPost); the loop announces (ASLEEP)
    // then re-checks (isEmpty). Both stores must be visible before the other side's load, or
    // each side misses the other: the post sees AWAKE and the loop sees an empty queue.
    assertTimeoutPreemptively(LIMIT, () -> Stress.of(SleepRace::new)
        .actor(SleepRace::post)
        .actor(SleepRace::lookAtQueues, SleepRace::prepareToSleep)
        .forbid(SleepRace::lostWakeup)
        .run(ROUNDS, WALL)
        .assertPassed("every post racing with prepareToSleep() either to keep the"
            + " loop awake or to write the wakeup (lost wakeup: publish ASLEEP, then look at the"
            + " queue, with nothing weaker than a volatile write in between; and the queue must make"
            + " an offer visible to isEmpty() before onPost() looks)"));
  }
}
