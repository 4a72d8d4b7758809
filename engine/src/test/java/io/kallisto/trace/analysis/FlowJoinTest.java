package io.kallisto.trace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowJoinTest {
  private final List<String> joined = new ArrayList<>();

  private FlowJoin join(boolean many, int capacity) {
    return new FlowJoin(many, capacity, (flow, from, to) ->
        joined.add(flow + ":" + from.time + "->" + to.time + "@" + to.thread));
  }

  @Test
  void shouldJoinAPostToItsCallbackInEitherOrder() {
    FlowJoin j = join(false, 8);
    j.send(1, 10, 0);
    j.receive(1, 15, 1);
    j.receive(2, 25, 1); // the callback's block came first in the file
    j.send(2, 20, 0);
    assertEquals(List.of("1:10->15@1", "2:20->25@1"), joined);
    assertEquals(2, j.joined());
    assertEquals(0, j.waiting());
  }

  @Test
  void shouldJoinOneSenderToEveryReceiverWhenManyReceive() {
    FlowJoin j = join(true, 8);
    j.receive(7, 12, 1);
    j.receive(7, 13, 2);
    j.send(7, 10, 0);
    j.receive(7, 14, 3);
    assertEquals(3, joined.size(), joined::toString);
    assertEquals("7:10->14@3", joined.get(2));
  }

  @Test
  void shouldDropTheOldestEndWhenFullAndIgnoreFlowZero() {
    FlowJoin j = join(false, 2);
    j.send(0, 1, 0);
    j.send(1, 1, 0);
    j.send(2, 2, 0);
    j.send(3, 3, 0); // evicts flow 1
    j.receive(1, 5, 1);
    j.receive(3, 6, 1);
    assertEquals(List.of("3:3->6@1"), joined);
    assertEquals(1, j.dropped());
    assertEquals(2, j.waiting(), "flow 2's post and flow 1's callback are still unmatched");
  }
}
