package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ChartsTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  void percentileAxisLabelsAreNinesAtWholeDecadesOnly() {
    assertEquals("0 %", Charts.percentileLabel(0));
    assertEquals("90 %", Charts.percentileLabel(1));
    assertEquals("99 %", Charts.percentileLabel(2));
    assertEquals("99.9 %", Charts.percentileLabel(3));
    assertEquals("99.99 %", Charts.percentileLabel(4));
    assertEquals("", Charts.percentileLabel(1.5));
  }

  @Test
  void barsCarryTheirValueAsPlainlyRoundedAsTheirLabelReads() {
    assertEquals(121, Charts.shown(121.419));
    assertEquals(21_987, Charts.shown(21_987.4));
    assertEquals(0.0123, Charts.shown(0.012345));
  }

  @Test
  void logBinsFollowOneTwoFiveFromBelowTheMinimumToAboveTheMaximum() {
    assertEquals(List.of(5.0, 10.0, 20.0, 50.0, 100.0), Charts.oneTwoFive(7, 60));
    assertEquals(List.of(2.0, 5.0), Charts.oneTwoFive(3, 3));
  }

  @Test
  void chartsOfNoDataArePicturesSayingSoNotExceptions() {
    Chart c = assertTimeoutPreemptively(BOUND,
        () -> Charts.histogramLogX("poll_delay", "µs", new Histogram(3), 1000.0));
    assertTrue(c.toString().contains("empty: no values recorded"), c.toString());
    assertTrue(c.image().getWidth() > 100);
    assertTrue(Charts.percentiles("x", "µs", 1000.0, "none", new Histogram(3)).toString()
        .contains("empty"));
    assertTrue(Charts.histogram("x", "µs", new double[0], 10).toString().contains("empty"));
  }

  @Test
  void latencyChartsOverDecadesRenderInBoundedTime() {
    // XChart loops tick by tick when a formatting function meets a log axis: this stays bounded.
    Histogram fast = new Histogram(3);
    Histogram slow = new Histogram(3);
    for (int i = 1; i <= 10_000; i++) {
      fast.recordValue(20_000 + i);
      slow.recordValue(i % 100 == 0 ? 20_000_000 : 50_000 + i);
    }
    Map<String, Histogram> m = new LinkedHashMap<>();
    m.put("fast", fast);
    m.put("slow", slow);
    BufferedImage p = assertTimeoutPreemptively(BOUND,
        () -> Charts.percentiles("wait", "µs", 1000.0, m).image());
    assertEquals(Charts.WIDTH, p.getWidth());
    assertTimeoutPreemptively(BOUND, () -> Charts.histogramLogX("wait", "µs", slow, 1000.0));
    assertTimeoutPreemptively(BOUND, () -> Charts.lineLogY("p99", "workers", "µs",
        Series.of("p99", new double[] {1, 2, 4}, new double[] {98_100, 180_000, 0})));
    assertTimeoutPreemptively(BOUND, () -> Charts.barLogY("wait", "fix", "µs",
        List.of("inline", "split"), Series.of("max", new double[] {21_987, 0})));
  }
}
