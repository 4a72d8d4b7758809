package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the "Slow requests" box accepts, and what it refuses with a reason. */
class SlowThresholdTest {
  @Test
  void percentilesAndDurationsAreReadAsTheUserTypesThem() {
    assertTrue(SlowThreshold.parse("p99").isPercentile());
    assertEquals("p99.9", SlowThreshold.parse(" P99.9 ").toString());
    assertEquals("p90", SlowThreshold.parse("p90").toString());
    SlowThreshold five = SlowThreshold.parse("5ms");
    assertFalse(five.isPercentile());
    assertEquals("5.00 ms", five.toString());
    assertEquals("250 µs", SlowThreshold.parse("250us").toString());
    assertEquals("2.00 ms", SlowThreshold.parse("2").toString(), "a bare number is milliseconds");
  }

  @Test
  void anythingElseIsRefusedWithWhatIsAccepted() {
    for (String bad : new String[] {"p100", "p0", "p", "pfast", "soon", "", "0ms", "-3ms"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SlowThreshold.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("'" + bad.strip() + "': "), e.getMessage());
    }
  }
}
