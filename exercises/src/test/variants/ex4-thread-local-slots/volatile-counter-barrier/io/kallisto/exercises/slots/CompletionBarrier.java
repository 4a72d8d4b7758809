package io.kallisto.exercises.slots;

/**
 * A barrier that counts arrivals in a volatile int and remembers who arrived in an array
 * (a buggy variant: volatile makes each read and write visible, not the increment atomic).
 */
public final class CompletionBarrier {
  public static final int MAX_PARTIES = 63;

  private final int parties;
  private final boolean[] arrived;
  private volatile int count;
  private volatile boolean cancelled;
  private volatile boolean completed;

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

  public boolean arrive(int party) {
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

  public boolean cancel() {
    if (completed || cancelled) {
      return false;
    }
    cancelled = true;
    return true;
  }

  public boolean isComplete() {
    return completed;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  public boolean hasArrived(int party) {
    check(party);
    return arrived[party];
  }

  public int arrivedCount() {
    return count;
  }

  private void check(int party) {
    if (party < 0 || party >= parties) {
      throw new IllegalArgumentException("party=" + party + "; parties are 0 to " + (parties - 1));
    }
  }
}
