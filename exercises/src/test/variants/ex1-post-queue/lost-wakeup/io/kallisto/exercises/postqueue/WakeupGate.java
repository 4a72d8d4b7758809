package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** BUG (lost wakeup): looks at the queue before publishing ASLEEP, not after. */
public final class WakeupGate {
  private final AtomicBoolean asleep = new AtomicBoolean();

  public boolean onPost() {
    return asleep.get() && asleep.compareAndSet(true, false);
  }

  public boolean prepareToSleep(PostQueue queue) {
    if (!queue.isEmpty()) {
      return false;
    }
    // A post that lands here saw AWAKE, wrote nothing, and the loop sleeps on it.
    asleep.set(true);
    return true;
  }

  public void awake() {
    asleep.set(false);
  }
}
