package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;

/** BUG (redundant wakeups): safe, but every post writes the eventfd. */
public final class WakeupGate {
  public boolean onPost() {
    return true;
  }

  public boolean prepareToSleep(PostQueue queue) {
    return queue.isEmpty();
  }

  public void awake() {}
}
