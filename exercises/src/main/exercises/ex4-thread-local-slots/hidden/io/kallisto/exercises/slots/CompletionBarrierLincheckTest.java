package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.Points;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: Lincheck model-checks CompletionBarrier against a sequential barrier. It
 * runs arrivals, cancels and reads on three threads and explores interleavings (switching threads
 * between shared-memory accesses) that real threads on two cores rarely reach: two parties that
 * both believe they arrived last, an arrival lost to a racing one, a cancel that both wins and
 * loses. With obstruction-freedom checked, a lock or a wait for another thread fails too. Public,
 * with a public constructor: Lincheck creates its own instances.
 */
@Param(name = "party", gen = IntGen.class, conf = "0:2")
public class CompletionBarrierLincheckTest {
  private final CompletionBarrier barrier = new CompletionBarrier(3);

  /** "completed", "waiting", or what it threw: results compare by value. */
  @Operation
  public String arrive(@Param(name = "party") int party) {
    try {
      return barrier.arrive(party) ? "completed" : "waiting";
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Operation
  public boolean cancel() {
    return barrier.cancel();
  }

  @Operation
  public boolean isComplete() {
    return barrier.isComplete();
  }

  @Operation
  public int arrivedCount() {
    return barrier.arrivedCount();
  }

  @Operation
  public boolean hasArrived(@Param(name = "party") int party) {
    return barrier.hasArrived(party);
  }

  /** What the barrier must look like from outside: the same operations, one at a time. */
  public static final class Sequential {
    private final boolean[] arrived = new boolean[3];
    private int count;
    private boolean cancelled;
    private boolean completed;

    public String arrive(int party) {
      if (arrived[party]) {
        return "IllegalStateException";
      }
      arrived[party] = true;
      count++;
      if (count == 3 && !cancelled) {
        completed = true;
        return "completed";
      }
      return "waiting";
    }

    public boolean cancel() {
      if (completed || cancelled) {
        return false;
      }
      cancelled = true;
      return true;
    }

    public boolean isComplete() {
      return completed;
    }

    public int arrivedCount() {
      return count;
    }

    public boolean hasArrived(int party) {
      return arrived[party];
    }
  }

  @Test
  @Points(10)
  void everyInterleavingLincheckExploresMatchesASequentialBarrierWithoutLocks() {
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
      try {
        new ModelCheckingOptions()
            .iterations(20)
            .invocationsPerIteration(200)
            .threads(3)
            .actorsPerThread(2)
            .actorsBefore(1)
            .checkObstructionFreedom(true)
            .sequentialSpecification(Sequential.class)
            .check(CompletionBarrierLincheckTest.class);
      } catch (AssertionError e) {
        // The full report (scenario and interleaving) goes to the log; feedback gets the start.
        System.out.println(e.getMessage());
        String report = String.valueOf(e.getMessage()).replaceAll("[ \\t]+", " ");
        throw new AssertionError("expected every concurrent run of arrive/cancel/isComplete/"
            + "arrivedCount/hasArrived on a barrier of 3 parties to match the same operations"
            + " done one at a time, with no thread waiting for another; Lincheck found one that"
            + " does not: " + report, e);
      }
    });
  }
}
