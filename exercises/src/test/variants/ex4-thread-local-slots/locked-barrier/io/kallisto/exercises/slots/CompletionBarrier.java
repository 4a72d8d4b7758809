package io.kallisto.exercises.slots;

/**
 * A barrier behind one lock (a variant: correct, but not lock-free as the exercise requires; a
 * thread preempted inside arrive() holds every other arrival up).
 */
public final class CompletionBarrier {
  public static final int MAX_PARTIES = 63;

  private final int parties;
  private final boolean[] arrived;
  private int count;
  private boolean cancelled;
  private boolean completed;

  public CompletionBarrier(int parties) {
    if (parties < 1 || parties > MAX_PARTIES) {
      throw new IllegalArgumentException("parties=" + parties + "; a barrier holds 1 to "
          + MAX_PARTIES + " parties");
    }
    this.parties = parties;
    this.arrived = new boolean[parties];
  }

  public int parties() {
    return parties;
  }

  public synchronized boolean arrive(int party) {
    check(party);
    if (arrived[party]) {
      throw new IllegalStateException("party " + party + " arrived twice");
    }
    arrived[party] = true;
    count++;
    if (count == parties && !cancelled) {
      completed = true;
      return true;
    }
    return false;
  }

  public synchronized boolean cancel() {
    if (completed || cancelled) {
      return false;
    }
    cancelled = true;
    return true;
  }

  public synchronized boolean isComplete() {
    return completed;
  }

  public synchronized boolean isCancelled() {
    return cancelled;
  }

  public synchronized boolean hasArrived(int party) {
    check(party);
    return arrived[party];
  }

  public synchronized int arrivedCount() {
    return count;
  }

  private void check(int party) {
    if (party < 0 || party >= parties) {
      throw new IllegalArgumentException("party=" + party + "; parties are 0 to " + (parties - 1));
    }
  }
}
