package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;
import java.util.concurrent.atomic.AtomicReference;

/** BUG (order): a Treiber stack, thread-safe but last in, first out. */
public final class LinkedPostQueue implements PostQueue {
  private record Node(Runnable task, Node next) {}

  private final AtomicReference<Node> top = new AtomicReference<>();

  @Override
  public long offer(Runnable task) {
    Node old;
    do {
      old = top.get();
    } while (!top.compareAndSet(old, new Node(task, old)));
    return -1;
  }

  @Override
  public Runnable poll() {
    Node old;
    do {
      old = top.get();
      if (old == null) {
        return null;
      }
    } while (!top.compareAndSet(old, old.next()));
    return old.task();
  }

  @Override
  public boolean isEmpty() {
    return top.get() == null;
  }
}
