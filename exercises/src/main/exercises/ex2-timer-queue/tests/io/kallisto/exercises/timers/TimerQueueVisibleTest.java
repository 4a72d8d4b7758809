package io.kallisto.exercises.timers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.event.MpscChunkedPostQueue;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.event.nio.NioDispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tests you have: run them with {@code kallisto grade ex2 --src DIR}. */
@ExtendWith(TraceOnFailure.class)
class TimerQueueVisibleTest {

  @Test
  @Points(2)
  void anEmptyQueuePeeksAndPollsNull() {
    QuadHeapTimerQueue q = new QuadHeapTimerQueue();
    assertEquals(0, q.size(), "expected size 0 for a new queue");
    assertNull(q.peek(), "expected peek() null on an empty queue");
    assertNull(q.poll(), "expected poll() null on an empty queue");
  }

  @Test
  @Points(3)
  void nodesPollInDeadlineOrder() {
    QuadHeapTimerQueue q = new QuadHeapTimerQueue();
    long[] deadlines = {50, 10, 40, 30, 20, 60, 5, 45, 15, 25, 35, 55};
    for (int i = 0; i < deadlines.length; i++) {
      q.add(new Node("t" + deadlines[i], deadlines[i], i));
    }
    assertEquals(deadlines.length, q.size(), "expected size to count every add");
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < deadlines.length; i++) {
      Node first = (Node) q.peek();
      assertSame(first, q.poll(), "expected poll() to return what peek() returned");
      if (first.deadlineNanos() < previous) {
        throw new AssertionError("expected deadlines in order, but " + first + " came after"
            + " deadline " + previous);
      }
      previous = first.deadlineNanos();
    }
    assertNull(q.poll(), "expected null once every node was polled");
  }

  @Test
  @Points(3)
  void equalDeadlinesPollInEnableOrder() {
    QuadHeapTimerQueue q = new QuadHeapTimerQueue();
    for (int i = 0; i < 10; i++) {
      q.add(new Node("t" + i, 100, i));
    }
    for (int i = 0; i < 10; i++) {
      assertEquals("t" + i, ((Node) q.poll()).name, "expected equal deadlines to poll in"
          + " enable (sequence) order");
    }
  }

  @Test
  @Points(2)
  void aTimerFiresOnTheEnginesLoop() {
    List<String> fired = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      NioDispatcher d = NioDispatcher.create("ex2", new MpscChunkedPostQueue(),
          new QuadHeapTimerQueue());
      try {
        Timer t = d.createTimer(() -> fired.add("t"));
        t.enable(Duration.ofMillis(1));
        d.run(RunType.BLOCK);
      } finally {
        d.close();
      }
    });
    assertEquals(List.of("t"), fired, "expected the timer to fire once");
  }
}
