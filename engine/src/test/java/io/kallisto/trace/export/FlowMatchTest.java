package io.kallisto.trace.export;

import static io.kallisto.trace.TestEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import org.junit.jupiter.api.Test;

class FlowMatchTest {
  private final FlowMatch flows = new FlowMatch();

  private void post(long flow) {
    flows.visit(record(EventType.POST, 0, 0, 10, 0, flow));
  }

  private void callback(CallbackKind kind, long flow) {
    flows.visit(record(EventType.CALLBACK, kind.code(), 1, 20, 5, flow));
  }

  @Test
  void shouldMatchAPostWithItsCallbackInEitherOrder() {
    post(7);
    callback(CallbackKind.POST, 8); // a file stores blocks thread by thread: callback first
    post(8);
    assertFalse(flows.postMatched(7));
    assertTrue(flows.postMatched(8));
    assertEquals(1, flows.unmatchedPosts());
  }

  @Test
  void shouldLeaveOutFlowZeroAndPostsWhoseCallbackNeverRan() {
    post(0);
    post(5);
    assertFalse(flows.postMatched(0));
    assertFalse(flows.postMatched(5));
    assertEquals(1, flows.unmatchedPosts(), "flow 0 means no flow");
  }

  @Test
  void shouldMatchASlotFlowOnlyWithItsSetAndAReceiver() {
    flows.visit(record(EventType.SLOT_SET, 0, 0, 10, 0, 3));
    flows.visit(record(EventType.SLOT_SET, 0, 0, 10, 0, 4));
    callback(CallbackKind.SLOT_UPDATE, 3);
    flows.visit(record(EventType.SLOT_COMPLETE, 0, 0, 30, 0, 5)); // its set is not traced
    assertTrue(flows.slotMatched(3));
    assertFalse(flows.slotMatched(4), "no update or completion");
    assertFalse(flows.slotMatched(5), "no set");
  }
}
