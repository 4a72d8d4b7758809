package io.kallisto.exercises.slots;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A barrier behind a ReentrantLock (a variant that breaks the rules: java.util.concurrent.locks
 * is not allowed, the barrier must be lock-free).
 */
public final class CompletionBarrier {
  public static final int MAX_PARTIES = 63;

  private final int parties;
  private final boolean[] arrived;
  private int count;
  private boolean cancelled;
  private boolean completed;
  private final ReentrantLock lock = new ReentrantLock();

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
    lock.lock();
    try {
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
    } finally {
      lock.unlock();
    }
  }

  public boolean cancel() {
    lock.lock();
    try {
      if (completed || cancelled) {
        return false;
      }
      cancelled = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  public boolean isComplete() {
    lock.lock();
    try {
      return completed;
    } finally {
      lock.unlock();
    }
  }

  public boolean isCancelled() {
    lock.lock();
    try {
      return cancelled;
    } finally {
      lock.unlock();
    }
  }

  public boolean hasArrived(int party) {
    lock.lock();
    try {
      check(party);
      return arrived[party];
    } finally {
      lock.unlock();
    }
  }

  public int arrivedCount() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  private void check(int party) {
    if (party < 0 || party >= parties) {
      throw new IllegalArgumentException("party=" + party + "; parties are 0 to " + (parties - 1));
    }
  }
}
