package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClaimTest {
  private final List<Object> shown = new ArrayList<>();

  @BeforeEach
  void captureDisplay() {
    Claim.reset();
    Notebook.setDisplay(shown::add);
  }

  @AfterEach
  void restoreDisplay() {
    Notebook.setDisplay(null);
    Claim.reset();
  }

  @Test
  void figuresFillThePlaceholdersPlainlyWithoutScientificNotation() {
    assertEquals("183,413 µs over 1,319 iterations, 0.0123 s, [a, b]",
        Claim.fill("{} µs over {} iterations, {} s, [{}]", 183_412.7, 1319L, 0.0123,
            List.of("a", "b")));
    assertEquals("median 20 µs (19–21 over 3 runs)", Claim.fill("median {}",
        Samples.of("µs", 21, 19, 20)));
  }

  @Test
  void aSentenceWithTheWrongNumberOfFiguresIsRefusedSayingHowMany() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Claim.design("{} and {}", 1));
    assertTrue(e.getMessage().contains("more {} than the 1 figures"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Claim.design("{}", 1, 2));
    assertTrue(e.getMessage().contains("1 {} for 2 figures"), e.getMessage());
  }

  @Test
  void aHeldDesignClaimIsShownAtOnceAndRecordedAsPredicted() {
    Claim.design("{} posts cost {} writes", 20_000, 3).holds(true);
    assertEquals(1, shown.size());
    Claim c = (Claim) shown.get(0);
    assertEquals(Claim.AS_PREDICTED, c.verdict());
    assertEquals(Claim.Kind.DESIGN, c.kind());
    assertTrue(c.mimeBundle().get("text/markdown").startsWith("✅ **as predicted** · *design*"),
        c.mimeBundle().get("text/markdown"));
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) c.metadata().get(Claim.METADATA_KEY);
    assertEquals("design", meta.get("kind"));
    assertEquals("as predicted", meta.get("verdict"));
    assertEquals("20,000 posts cost 3 writes", meta.get("claim"));
    assertEquals(List.of(c), Claim.all());
  }

  @Test
  void aFailedDesignClaimSaysItIsABugAndGivesTheCellsReason() {
    Claim.design("more wakeups than posts").holds(false, "the lesson predicted the impossible");
    Claim c = Claim.all().get(0);
    assertEquals(Claim.NOT_THIS_TIME, c.verdict());
    assertEquals("the lesson predicted the impossible", c.reason());
    String md = c.mimeBundle().get("text/markdown");
    assertTrue(md.contains("not this time") && md.contains("bug in Kallisto or in this lesson"),
        md);
  }

  @Test
  void anEnvironmentClaimReportsTheMachinesConditionsAndAReasonWhenItFails() {
    Claim.environment("p99 {} below {}", 200.0, 20_000.0).holds(false, "warm-up");
    Claim c = Claim.all().get(0);
    assertFalse(c.held());
    // The reason is the machine's load or steal when those were high, else the cell's.
    String expected = c.conditions().likelyReason() != null ? c.conditions().likelyReason()
        : "warm-up";
    assertEquals(expected, c.reason());
    assertTrue(c.mimeBundle().get("text/markdown").contains("<sub>"), "conditions shown");
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) c.metadata().get(Claim.METADATA_KEY);
    assertTrue(meta.containsKey("conditions"), meta.toString());
    assertEquals("environment", meta.get("kind"));
  }

  @Test
  void aClaimReportsTheConditionsOfTheLastMeasurementAndClaimsMomentsApartShareThem() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Machine.beginWindow();
      // The measurement: 0.3 s of this thread's CPU time, however long a loaded machine takes.
      long cpuUntil = threads.getCurrentThreadCpuTime() + 300_000_000L;
      while (threads.getCurrentThreadCpuTime() < cpuUntil) {
        Thread.onSpinWait();
      }
      Machine.endWindow();
    });
    Claim.environment("first").holds(true);
    Claim.environment("second, moments later").holds(true);
    Machine.Conditions first = Claim.all().get(0).conditions();
    assertTrue(first.seconds() >= 0.3 && first.seconds() < 60, first.toString());
    assertTrue(first.jvmCores() * first.seconds() >= 0.29,
        "the window saw this JVM spend the spin's CPU time: " + first);
    assertSame(first, Claim.all().get(1).conditions(), "no new measurement in between");
  }

  @Test
  void theSummaryListsEveryClaimInOrder() {
    Claim.design("a").holds(true);
    Claim.environment("b").holds(true);
    Table t = Claim.summary();
    assertEquals(List.of("a", "b"), t.labels("claim"));
    assertEquals(List.of("design", "environment"), t.labels("kind"));
  }

  @Test
  void numbersArePlainAtEveryScale() {
    assertEquals("183,413", Numbers.plain(183_412.7));
    assertEquals("12.3", Numbers.plain(12.345));
    assertEquals("1.5", Numbers.plain(1.5));
    assertEquals("2", Numbers.plain(2.0));
    assertEquals("0.0123", Numbers.plain(0.0123));
    assertEquals("1,800,000", Numbers.plain(1.8e6));
    assertEquals("n/a", Numbers.plain(Double.NaN));
    assertEquals("61.3 %", Numbers.percent(0.613));
    assertEquals("20.3 ms", Numbers.millis(20_283_000));
  }
}
