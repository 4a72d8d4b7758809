package io.kallisto.trace.export;

import static io.kallisto.trace.TestEvents.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kallisto.trace.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceOrderTest {
  private final List<String> out = new ArrayList<>();
  private final SliceOrder order = new SliceOrder();
  private final SliceOrder.Sink sink = new SliceOrder.Sink() {
    @Override
    public void nested(ExportSlice s) {
      out.add(s.event().type().label() + "@" + s.start());
    }

    @Override
    public void unnested(ExportSlice s) {
      out.add("unnested " + s.event().type().label() + "@" + s.start());
    }
  };

  @Test
  void shouldWriteAnIterationsWorkBeforeTheCallbacksRecordedInsideIt() {
    // As the file holds them: poll, then each callback when it ended, then the work slice.
    order.add(slice(EventType.POLL, 0, 0, 10), sink);
    order.add(slice(EventType.CALLBACK, 0, 12, 3), sink);
    order.add(slice(EventType.CALLBACK, 0, 15, 4), sink);
    order.add(slice(EventType.WORK, 0, 10, 10), sink);
    assertEquals(List.of("poll@0", "work@10", "callback@12", "callback@15"), out);
  }

  @Test
  void shouldPutTheParentFirstWhenParentAndChildStartTogether() {
    order.add(slice(EventType.CALLBACK, 0, 10, 0), sink); // a virtual clock: no time passes
    order.add(slice(EventType.WORK, 0, 10, 0), sink);
    assertEquals(List.of("work@10", "callback@10"), out);
  }

  @Test
  void shouldSetAsideSlicesThatWouldCrossTheirParentOrStartBeforeWhatWasWritten() {
    order.add(slice(EventType.POLL, 0, 0, 10), sink);
    order.add(slice(EventType.SPAN, 0, 15, 20), sink); // outlives the work slice [10, 20]
    order.add(slice(EventType.WORK, 0, 10, 10), sink);
    order.add(slice(EventType.SPAN, 0, 5, 30), sink); // began before slices already written
    order.flush(sink);
    assertEquals(List.of("poll@0", "work@10", "unnested span@15", "unnested span@5"), out);
  }
}
