package io.kallisto.exercises.postqueue;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.OptimizingCompiler;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Stress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: a consumer racing an offer sees nothing or the whole task, once.
 * Memory-ordering stress on real threads (jcstress style): each round races two threads on
 * fresh queues and gates, many rounds, and counts the outcomes the contract forbids. Lincheck's
 * model checker assumes sequential consistency; an x86-64 core may load before its own earlier
 * store is visible to the other core (StoreLoad reordering) unless a full fence (a volatile
 * write, an atomic read-modify-write) comes between them. The class runs with the optimising
 * compiler: C1 compiles a release store ({@code lazySet}, {@code setRelease}) as a volatile one,
 * and would hide it.
 */
@OptimizingCompiler
class PollRaceStressTest {
  /** Overlapping rounds a test wants; the reference passes them, a racy variant fails early. */
  private static final long ROUNDS = 100_000;
  /** Wall time the test may take: it gives up (and passes, if nothing was seen) after this. */
  private static final Duration WALL = Duration.ofSeconds(4);
  private static final Duration LIMIT = Duration.ofSeconds(40);

  /** A task that is a value, so that a wrong or missing one is visible. */
  private record Task(int id) implements Runnable {
    @Override
    public void run() {}
  }

  /** An offer racing the consumer's look at the queue. */
  private static final class PollRace {
    final LinkedPostQueue queue = new LinkedPostQueue();
    final Task task = new Task(7);
    boolean emptyBefore;
    Runnable polled;
    Runnable polledAgain;
    boolean emptyAfter;
  }

  @Test
  @Points(6)
  void aPostTheConsumerSeesIsPolledWholeAndOnce() {
    assertTimeoutPreemptively(LIMIT, () -> Stress.of(PollRace::new)
        .actor(s -> s.queue.offer(s.task))
        .actor(s -> s.queue.isEmpty(), s -> {
          s.emptyBefore = s.queue.isEmpty();
          s.polled = s.queue.poll();
          s.polledAgain = s.queue.poll();
          s.emptyAfter = s.queue.isEmpty();
        })
        .forbid(PollRaceStressTest::pollRaceProblem)
        .run(ROUNDS, WALL)
        .assertPassed("a consumer racing one offer to see either nothing or the"
            + " whole task, once: once isEmpty() is false poll() waits for the offer in progress,"
            + " and a node is never visible before its task"));
  }

  private static String pollRaceProblem(PollRace s) {
    for (Runnable got : new Runnable[] {s.polled, s.polledAgain}) {
      if (got != null && got != s.task) {
        return "poll() returned " + got + ", not the task offered (" + s.task
            + "): a node was seen before its task was in it";
      }
    }
    if (s.polled == null && !s.emptyBefore) {
      return "isEmpty() was false, then poll() returned null: poll() must wait for an offer in"
          + " progress";
    }
    if (s.polled != null && s.polledAgain != null) {
      return "one offer was polled twice";
    }
    if ((s.polled != null || s.polledAgain != null) && !s.emptyAfter) {
      return "isEmpty() was false after the only task was polled";
    }
    if (s.polled == null && s.polledAgain == null) {
      // Both threads are done: the offer has returned, so the task must be there now.
      Runnable late = s.queue.poll();
      if (late != s.task) {
        return "the offered task was lost: the polls racing the offer returned null, and once"
            + " the offer had returned poll() gave " + late;
      }
    }
    return null;
  }
}
