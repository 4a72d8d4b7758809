package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;
import java.util.ArrayDeque;

/** BUG (unsynchronised): an ArrayDeque shared by every producer, with no lock. */
public final class LinkedPostQueue implements PostQueue {
  private final ArrayDeque<Runnable> items = new ArrayDeque<>();

  @Override
  public long offer(Runnable task) {
    items.addLast(task);
    return -1;
  }

  @Override
  public Runnable poll() {
    return items.pollFirst();
  }

  @Override
  public boolean isEmpty() {
    return items.isEmpty();
  }
}
