package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** {@link CodeTable}, and the two code tables of the trace format built with it. */
class CodeTableTest {
  private enum Color { RED, GREEN, BLUE }

  @Test
  void everyEventTypeIsFoundByItsOwnCodeAndNoOtherCodeFindsOne() {
    assertEveryCodeRoundTrips(EventType.values(), EventType::code, EventType::ofCode);
  }

  @Test
  void everyCallbackKindIsFoundByItsOwnCodeAndNoOtherCodeFindsOne() {
    assertEveryCodeRoundTrips(CallbackKind.values(), CallbackKind::code, CallbackKind::ofCode);
  }

  @Test
  void aTableFindsEachConstantByItsCodeAndNothingElse() {
    CodeTable<Color> table = new CodeTable<>(Color.values(), c -> 10 + c.ordinal(), 16);
    assertSame(Color.RED, table.ofCode(10));
    assertSame(Color.BLUE, table.ofCode(12));
    for (int code : new int[] {Integer.MIN_VALUE, -1, 0, 9, 13, 15, 16, Integer.MAX_VALUE}) {
      assertNull(table.ofCode(code), "code " + code);
    }
  }

  @Test
  void twoConstantsWithOneCodeAreRefusedNamingBoth() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new CodeTable<>(Color.values(), c -> c == Color.BLUE ? 1 : c.ordinal() + 1, 8));
    assertEquals("Color.BLUE has code 1, which RED already has", e.getMessage());
  }

  @Test
  void aCodeOutOfRangeIsRefusedNamingTheRange() {
    IllegalStateException zero = assertThrows(IllegalStateException.class,
        () -> new CodeTable<>(Color.values(), Enum::ordinal, 8));
    assertEquals("Color.RED has code 0; codes run from 1 to 7", zero.getMessage());
    IllegalStateException high = assertThrows(IllegalStateException.class,
        () -> new CodeTable<>(Color.values(), c -> 6 + c.ordinal(), 8));
    assertEquals("Color.BLUE has code 8; codes run from 1 to 7", high.getMessage());
  }

  private static <E extends Enum<E>> void assertEveryCodeRoundTrips(E[] constants,
      ToIntFunction<E> code, IntFunction<E> ofCode) {
    int found = 0;
    for (int c = -1; c <= 256; c++) {
      E e = ofCode.apply(c);
      if (e != null) {
        assertEquals(c, code.applyAsInt(e), e.name());
        found++;
      }
    }
    assertEquals(constants.length, found, "constants found by some code");
    for (E e : constants) {
      assertSame(e, ofCode.apply(code.applyAsInt(e)), e.name());
      assertTrue(code.applyAsInt(e) > 0, e.name() + " has a code above 0");
    }
  }
}
