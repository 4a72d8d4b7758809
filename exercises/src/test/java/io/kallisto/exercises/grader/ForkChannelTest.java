package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The results channel accepts only the runner's signed lines, in order, once. */
class ForkChannelTest {
  private static final String CLASS = "p.SomeTest";

  @Test
  void aSignedLineIsAcceptedWithItsFields() {
    String key = ForkChannel.newKey();
    String line = ForkChannel.keyed(key).sign(ForkChannel.Status.FAIL, CLASS, "m",
        "expected <1>\tbut\nwas <2>");
    ForkChannel.Line l = ForkChannel.keyed(key).verify(line.strip());
    assertNotNull(l, line);
    assertEquals(new ForkChannel.Line(0, ForkChannel.Status.FAIL, CLASS, "m",
        "expected <1> but | was <2>"), l);
  }

  @Test
  void aLineSignedWithAnotherKeyOrChangedIsRefused() {
    String key = ForkChannel.newKey();
    String other = ForkChannel.newKey();
    assertNotEquals(key, other);
    String line = ForkChannel.keyed(other).sign(ForkChannel.Status.PASS, CLASS, "m", "").strip();
    assertNull(ForkChannel.keyed(key).verify(line));
    String mine = ForkChannel.keyed(key).sign(ForkChannel.Status.FAIL, CLASS, "m", "").strip();
    assertNull(ForkChannel.keyed(key).verify(mine.replace("\tFAIL\t", "\tPASS\t")));
    assertNull(ForkChannel.keyed(key).verify("PASS\tm"));
    assertNull(ForkChannel.keyed(key).verify("R\t0\tPASS\t" + CLASS + "\tm\t\tnot-hex"));
  }

  @Test
  void aReplayedOrSkippedLineIsRefusedAndTheSequenceGoesOn() {
    String key = ForkChannel.newKey();
    ForkChannel runner = ForkChannel.keyed(key);
    String first = runner.sign(ForkChannel.Status.PASS, CLASS, "a", "").strip();
    String second = runner.sign(ForkChannel.Status.PASS, CLASS, "b", "").strip();
    String third = runner.sign(ForkChannel.Status.PASS, CLASS, "c", "").strip();
    ForkChannel grader = ForkChannel.keyed(key);
    assertNull(grader.verify(second), "out of order");
    assertNotNull(grader.verify(first));
    assertNull(grader.verify(first), "a replay");
    assertNotNull(grader.verify(second));
    assertEquals("c", grader.verify(third).method());
  }

  @Test
  void aKeyOfTheWrongLengthIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ForkChannel.keyed("abcd"));
    assertThrows(IllegalArgumentException.class, () -> ForkChannel.keyed("zz".repeat(32)));
  }
}
