package io.kallisto.exercises.timers;

import io.kallisto.event.TimerNode;
import io.kallisto.event.TimerQueue;
import java.util.Arrays;

/**
 * Reference solution: a 4-ary min-heap in an array. Node i's children are 4i+1 .. 4i+4 and its
 * parent (i-1)/4; each node keeps its slot in {@link TimerNode#queueIndex}, so that remove is
 * O(log n) without a search.
 */
public final class QuadHeapTimerQueue implements TimerQueue {
  private static final int ARITY = 4;

  private TimerNode[] heap = new TimerNode[16];
  private int size;

  @Override
  public void add(TimerNode node) {
    if (node.queueIndex() != -1) {
      throw new IllegalStateException(node + " is already queued (queueIndex "
          + node.queueIndex() + "); remove it first");
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    siftUp(size++, node);
  }

  @Override
  public void remove(TimerNode node) {
    int index = node.queueIndex();
    // A node that left (queueIndex -1) or sits in another queue is refused before anything
    // changes: filling its "hole" would drop some other node.
    if (index < 0 || index >= size || heap[index] != node) {
      throw new IllegalStateException(node + " is not in this queue (queueIndex " + index
          + ", size " + size + ")");
    }
    TimerNode last = heap[--size];
    heap[size] = null;
    node.queueIndex(-1);
    if (last != node) {
      // The last node fills the hole; it may belong above it or below it.
      if (index > 0 && TimerNode.before(last, heap[(index - 1) / ARITY])) {
        siftUp(index, last);
      } else {
        siftDown(index, last);
      }
    }
  }

  @Override
  public TimerNode peek() {
    return size == 0 ? null : heap[0];
  }

  @Override
  public TimerNode poll() {
    TimerNode first = peek();
    if (first != null) {
      remove(first);
    }
    return first;
  }

  @Override
  public int size() {
    return size;
  }

  private void siftUp(int index, TimerNode node) {
    while (index > 0) {
      int parent = (index - 1) / ARITY;
      if (!TimerNode.before(node, heap[parent])) {
        break;
      }
      place(index, heap[parent]);
      index = parent;
    }
    place(index, node);
  }

  private void siftDown(int index, TimerNode node) {
    while (true) {
      int firstChild = index * ARITY + 1;
      if (firstChild >= size) {
        break;
      }
      int best = firstChild;
      for (int c = firstChild + 1; c < Math.min(firstChild + ARITY, size); c++) {
        if (TimerNode.before(heap[c], heap[best])) {
          best = c;
        }
      }
      if (!TimerNode.before(heap[best], node)) {
        break;
      }
      place(index, heap[best]);
      index = best;
    }
    place(index, node);
  }

  private void place(int index, TimerNode node) {
    heap[index] = node;
    node.queueIndex(index);
  }
}
