package io.kallisto.exercises.timers;

import io.kallisto.event.TimerNode;
import io.kallisto.event.TimerQueue;
import java.util.PriorityQueue;

/**
 * Buggy variant "priority-queue": java.util.PriorityQueue instead of a heap of its own. It
 * orders timers correctly, and breaks the exercise's rule (rules.txt): the grade is 0.
 */
public final class QuadHeapTimerQueue implements TimerQueue {
  private final PriorityQueue<TimerNode> queue =
      new PriorityQueue<>((a, b) -> TimerNode.before(a, b) ? -1 : TimerNode.before(b, a) ? 1 : 0);

  @Override
  public void add(TimerNode node) {
    queue.add(node);
    node.queueIndex(0); // "in the queue"; PriorityQueue keeps no slot to report
  }

  @Override
  public void remove(TimerNode node) {
    queue.remove(node);
    node.queueIndex(-1);
  }

  @Override
  public TimerNode peek() {
    return queue.peek();
  }

  @Override
  public TimerNode poll() {
    TimerNode n = queue.poll();
    if (n != null) {
      n.queueIndex(-1);
    }
    return n;
  }

  @Override
  public int size() {
    return queue.size();
  }
}
