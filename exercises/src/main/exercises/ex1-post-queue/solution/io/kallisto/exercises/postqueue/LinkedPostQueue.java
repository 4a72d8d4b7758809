package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reference solution: Vyukov's intrusive MPSC linked queue. A producer swaps itself in as the
 * tail with one atomic {@code getAndSet}, then links the old tail to itself; the consumer follows
 * the links from a stub head.
 */
public final class LinkedPostQueue implements PostQueue {
  private static final class Node {
    final Runnable task;
    volatile Node next;

    Node(Runnable task) {
      this.task = task;
    }
  }

  /** Consumer only. */
  private Node head = new Node(null);
  private final AtomicReference<Node> tail = new AtomicReference<>(head);

  @Override
  public long offer(Runnable task) {
    Node node = new Node(task);
    Node previous = tail.getAndSet(node);
    // Between the swap and this link the consumer sees tail != head but no next: it waits.
    previous.next = node;
    return -1;
  }

  @Override
  public Runnable poll() {
    Node next = head.next;
    if (next == null) {
      if (tail.get() == head) {
        return null;
      }
      // An offer is between its swap and its link: the contract says wait for it.
      while ((next = head.next) == null) {
        Thread.onSpinWait();
      }
    }
    head = next;
    Runnable task = next.task;
    return task;
  }

  @Override
  public boolean isEmpty() {
    return tail.get() == head;
  }
}
