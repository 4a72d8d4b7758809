package io.kallisto.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Duration strings: what parses, how they are written, and the one-line errors. */
class DurationsTest {
  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "250ms, 250000000",
    "1.5s, 1500000000",
    "50us, 50000",
    "7ns, 7",
    "2m, 120000000000",
    "0s, 0",
    "0.001ms, 1000",
    "007s, 7000000000",
  })
  void parsesWholeAndDecimalNumbersWithAUnit(String text, long nanos) {
    assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"5", "5 s", "-5s", "+5s", "5S", "1e3ms", ".5s", "5.s", "5h", "", "s",
      "5ms ", "1,5s"})
  void rejectsAnythingButANumberAndAUnit(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals("\"" + text + "\" is not a duration; allowed: a number and a unit (ns, us, ms, s"
        + " or m), such as \"250ms\", \"1.5s\" or \"2m\"", e.getMessage());
  }

  @Test
  void rejectsFractionsOfANanosecond() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1.5ns"));
    assertEquals("\"1.5ns\" is not a whole number of nanoseconds; allowed: a number and a unit"
        + " (ns, us, ms, s or m), such as \"250ms\", \"1.5s\" or \"2m\"", e.getMessage());
  }

  @Test
  void rejectsDurationsBeyondALongOfNanoseconds() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("153722868m"));
    assertEquals("\"153722868m\" is too long; allowed: at most 153722867m (about 292 years)",
        e.getMessage());
    assertEquals(Duration.ofMinutes(153722867), Durations.parse("153722867m"));
  }

  @ParameterizedTest(name = "{0} ns -> {1}")
  @CsvSource({
    "0, 0s",
    "5000000000, 5s",
    "250000000, 250ms",
    "1500000000, 1500ms",
    "60000000000, 1m",
    "90000000000, 90s",
    "3600000000000, 60m",
    "50000, 50us",
    "1001, 1001ns",
  })
  void formatsInTheLargestWholeUnit(long nanos, String text) {
    assertEquals(text, Durations.format(Duration.ofNanos(nanos)));
    assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
  }

  @Test
  void parseWithARangeRejectsDurationsOutsideIt() {
    Duration min = ScenarioParser.MIN_DURATION;
    Duration max = ScenarioParser.MAX_DURATION;
    assertEquals(Duration.ofMinutes(60), Durations.parse("60m", min, max));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("99ms", min, max));
    assertEquals("\"99ms\" is out of range; allowed: a duration from 100ms to 60m",
        e.getMessage());
  }

  @Test
  void refusesToFormatNegativeDurations() {
    assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofMillis(-1)));
  }
}
