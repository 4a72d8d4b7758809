package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import org.junit.jupiter.api.Test;

/** The barrier on one thread. Run with {@code kallisto grade ex4 --src DIR --visible-only}. */
class CompletionBarrierVisibleTest {

  @Test
  @Points(2)
  void onlyTheArrivalOfTheLastPartyCompletesTheBarrier() {
    CompletionBarrier b = new CompletionBarrier(3);
    assertEquals(3, b.parties(), "expected parties() to be the number given");
    assertFalse(b.arrive(2), "expected arrive(2) false: parties 0 and 1 have not arrived");
    assertFalse(b.arrive(0), "expected arrive(0) false: party 1 has not arrived");
    assertFalse(b.isComplete(), "expected isComplete() false with 2 of 3 parties arrived");
    assertEquals(2, b.arrivedCount(), "expected arrivedCount() 2 after parties 2 and 0");
    assertTrue(b.hasArrived(0) && b.hasArrived(2) && !b.hasArrived(1),
        "expected hasArrived() true for parties 0 and 2 only");
    assertTrue(b.arrive(1), "expected arrive(1) true: it is the last party to arrive");
    assertTrue(b.isComplete(), "expected isComplete() true once every party arrived");
    assertEquals(3, b.arrivedCount(), "expected arrivedCount() 3 once every party arrived");
  }

  @Test
  @Points(2)
  void aPartyArrivingTwiceIsRejectedAndCountsOnce() {
    CompletionBarrier b = new CompletionBarrier(2);
    assertFalse(b.arrive(0), "expected the first arrive(0) false: party 1 has not arrived");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.arrive(0),
        "expected IllegalStateException when party 0 arrives twice: counting it twice is how a"
            + " barrier completes early");
    assertTrue(String.valueOf(e.getMessage()).contains("0"), "expected the message to name"
        + " party 0, but it was: " + e.getMessage());
    assertFalse(b.isComplete(), "expected the barrier incomplete: party 1 has not arrived");
    assertEquals(1, b.arrivedCount(), "expected arrivedCount() 1 after party 0 arrived twice");
    assertTrue(b.arrive(1), "expected arrive(1) true: party 1 is the last to arrive");
  }

  @Test
  @Points(2)
  void aCancelledBarrierNeverCompletes() {
    CompletionBarrier b = new CompletionBarrier(2);
    b.arrive(0);
    assertTrue(b.cancel(), "expected cancel() true on a barrier that had not completed");
    assertTrue(b.isCancelled(), "expected isCancelled() true after cancel()");
    assertFalse(b.cancel(), "expected a second cancel() false: it was cancelled already");
    assertFalse(b.arrive(1), "expected arrive(1) false: a cancelled barrier never completes");
    assertFalse(b.isComplete(), "expected isComplete() false on a cancelled barrier");
    assertEquals(2, b.arrivedCount(), "expected arrivals after a cancel still recorded");

    CompletionBarrier done = new CompletionBarrier(1);
    assertTrue(done.arrive(0), "expected arrive(0) true on a barrier of one party");
    assertFalse(done.cancel(), "expected cancel() false on a completed barrier: its completing"
        + " arrival already returned true");
    assertTrue(done.isComplete() && !done.isCancelled(),
        "expected a completed barrier to stay complete and not cancelled after cancel()");
  }

  @Test
  @Points(1)
  void partiesOutsideTheRangeAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new CompletionBarrier(0),
        "expected IllegalArgumentException for 0 parties");
    assertThrows(IllegalArgumentException.class,
        () -> new CompletionBarrier(CompletionBarrier.MAX_PARTIES + 1),
        "expected IllegalArgumentException for MAX_PARTIES + 1 parties");
    CompletionBarrier b = new CompletionBarrier(3);
    assertThrows(IllegalArgumentException.class, () -> b.arrive(3),
        "expected IllegalArgumentException for arrive(3) on a barrier of parties 0 to 2");
    assertThrows(IllegalArgumentException.class, () -> b.arrive(-1),
        "expected IllegalArgumentException for arrive(-1)");
    assertEquals(0, b.arrivedCount(), "expected rejected arrivals not to count");
  }
}
