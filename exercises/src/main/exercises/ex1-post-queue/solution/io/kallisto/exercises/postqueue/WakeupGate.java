package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** Reference solution: one atomic flag, AWAKE (false) or ASLEEP (true). */
public final class WakeupGate {
  private final AtomicBoolean asleep = new AtomicBoolean();

  /** Any thread, after its offer returned: true iff this caller must write the wakeup. */
  public boolean onPost() {
    // The plain read first: a busy loop is awake, and the read is cheaper than the CAS.
    return asleep.get() && asleep.compareAndSet(true, false);
  }

  /** Loop thread: publish ASLEEP, then look at the queue again. */
  public boolean prepareToSleep(PostQueue queue) {
    asleep.set(true);
    // A post that raced with us saw AWAKE and wrote nothing: we must see it here.
    if (!queue.isEmpty()) {
      asleep.set(false);
      return false;
    }
    return true;
  }

  /** Loop thread: the wait returned. */
  public void awake() {
    asleep.set(false);
  }
}
