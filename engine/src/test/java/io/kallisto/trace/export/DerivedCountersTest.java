package io.kallisto.trace.export;

import static io.kallisto.trace.TestEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kallisto.trace.EventType;
import io.kallisto.trace.Tracing;
import java.util.List;
import org.junit.jupiter.api.Test;

class DerivedCountersTest {
  private static final long MS = 1_000_000;
  private final DerivedCounters counters = new DerivedCounters(1_000 * MS);

  @Test
  void shouldCountConnectionsOnTheirAcceptingSideOnlyAndNeverBelowZero() {
    counters.visit(record(EventType.CONNECTION_CLOSE, 0, 0, 1_000 * MS, 9, 0)); // opened earlier
    counters.visit(record(EventType.CONNECTION_OPEN, 0, 1, 1_010 * MS, 1, 0));
    counters.visit(record(EventType.CONNECTION_OPEN, Tracing.CLIENT_SIDE, 2, 1_010 * MS, 1, 0));
    counters.visit(record(EventType.CONNECTION_OPEN, 0, 0, 1_020 * MS, 2, 0));
    counters.visit(record(EventType.CONNECTION_CLOSE, 0, 1, 1_030 * MS, 1, 0));
    assertEquals(List.of(new DerivedCounters.Point(1_000 * MS, 0),
        new DerivedCounters.Point(1_010 * MS, 1), new DerivedCounters.Point(1_020 * MS, 2),
        new DerivedCounters.Point(1_030 * MS, 1)), counters.activeConnections());
  }

  @Test
  void shouldRateServerResponsesPerWindowAndFallBackToZeroAfterTheLast() {
    // Two responses in the first 100 ms window, none in the second, one in the third.
    counters.visit(record(EventType.REQUEST_END, 0, 0, 1_010 * MS, 1, 1));
    counters.visit(record(EventType.REQUEST_END, 0, 1, 1_099 * MS, 2, 1));
    counters.visit(record(EventType.REQUEST_END, Tracing.CLIENT_SIDE, 2, 1_150 * MS, 3, 1));
    counters.visit(record(EventType.REQUEST_END, 0, 0, 1_250 * MS, 4, 1));
    assertEquals(List.of(new DerivedCounters.Point(1_000 * MS, 20),
        new DerivedCounters.Point(1_100 * MS, 0), new DerivedCounters.Point(1_200 * MS, 10),
        new DerivedCounters.Point(1_300 * MS, 0)), counters.requestRate());
  }

  @Test
  void shouldRateClientResponsesOnlyInATraceWithoutServerOnes() {
    counters.visit(record(EventType.REQUEST_END, Tracing.CLIENT_SIDE, 2, 1_050 * MS, 3, 1));
    assertEquals(List.of(new DerivedCounters.Point(1_000 * MS, 10),
        new DerivedCounters.Point(1_100 * MS, 0)), counters.requestRate());
    assertEquals(List.of(), counters.activeConnections());
  }
}
