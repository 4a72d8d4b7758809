package io.kallisto.event;

import java.util.Arrays;

/**
 * A binary min-heap of timers in an array that grows by doubling and never shrinks. Each node
 * keeps its heap position in {@link TimerNode#queueIndex}, so removal and re-enabling are
 * O(log n) without a search. A million pending timers cost one 8 MB array.
 */
public final class HeapTimerQueue implements TimerQueue {
  private TimerNode[] heap = new TimerNode[64];
  private int size;

  // TimerQueue

  @Override
  public void add(TimerNode node) {
    if (node.queueIndex() >= 0) {
      throw new IllegalStateException("timer is already queued at index " + node.queueIndex());
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    siftUp(size++, node);
  }

  @Override
  public void remove(TimerNode node) {
    int index = node.queueIndex();
    if (index < 0 || index >= size || heap[index] != node) {
      throw new IllegalStateException("timer is not queued here (queueIndex=" + index + ")");
    }
    node.queueIndex(-1);
    TimerNode last = heap[--size];
    heap[size] = null;
    if (index == size) {
      return;
    }
    // The moved node may belong above or below its new place; at most one sift moves it.
    siftDown(index, last);
    if (heap[index] == last) {
      siftUp(index, last);
    }
  }

  @Override
  public TimerNode peek() {
    return size == 0 ? null : heap[0];
  }

  @Override
  public TimerNode poll() {
    if (size == 0) {
      return null;
    }
    TimerNode first = heap[0];
    remove(first);
    return first;
  }

  @Override
  public int size() {
    return size;
  }

  private void siftUp(int index, TimerNode node) {
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      TimerNode p = heap[parent];
      if (!TimerNode.before(node, p)) {
        break;
      }
      place(index, p);
      index = parent;
    }
    place(index, node);
  }

  private void siftDown(int index, TimerNode node) {
    int half = size >>> 1;
    while (index < half) {
      int child = 2 * index + 1;
      int right = child + 1;
      if (right < size && TimerNode.before(heap[right], heap[child])) {
        child = right;
      }
      if (!TimerNode.before(heap[child], node)) {
        break;
      }
      place(index, heap[child]);
      index = child;
    }
    place(index, node);
  }

  private void place(int index, TimerNode node) {
    heap[index] = node;
    node.queueIndex(index);
  }
}
