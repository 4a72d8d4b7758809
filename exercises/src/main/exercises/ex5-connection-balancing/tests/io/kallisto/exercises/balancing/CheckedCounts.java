package io.kallisto.exercises.balancing;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The tests' view of YOUR {@link ConnectionCounts}: it forwards every call to them and checks it
 * against a plain model (one int per worker; the least-loaded worker found by a scan). A breach
 * is recorded, with what was expected and what happened, and the test reports it: an exception
 * thrown inside a loop callback would only be logged by the loop. Part of the tests; do not
 * change it.
 *
 * <p>Synchronised, so that its own model stays whole even when a breach is a call from the wrong
 * thread (which is recorded as {@link Breach#OFF_LOOP}).
 */
final class CheckedCounts implements ConnectionCounts {
  /** The kinds of breach, each reported on its own. */
  enum Breach {
    /** A call on a thread other than the acceptor's loop. */
    OFF_LOOP,
    /** {@code pick()} chose a worker without the fewest connections. */
    NOT_LEAST,
    /** {@code pick()} chose one of the least-loaded workers, but not the lowest index. */
    TIE,
    /** {@code assign()} returned a worker it did not count as open (or no worker at all). */
    NOT_COUNTED,
    /** {@code closed(w)} applied more often than worker w reported closes. */
    UNREPORTED_CLOSE,
    /** {@code closed(w)} when w had no open connection counted. */
    NEGATIVE,
    /** {@code count(w)} disagrees with the model. */
    WRONG_COUNT,
    /** A call that must not throw threw. */
    THREW
  }

  /** Every breach but the tie-break and the thread, which are graded on their own. */
  static final Breach[] COUNTING = {Breach.NOT_LEAST, Breach.NOT_COUNTED,
      Breach.UNREPORTED_CLOSE, Breach.NEGATIVE, Breach.WRONG_COUNT, Breach.THREW};

  private static final int SHOWN = 3;

  private final ConnectionCounts inner;
  private final Dispatcher owner;
  private final AtomicLongArray reported;
  private final int[] model;
  private final long[] applied;
  private final Map<Breach, Integer> breaches = new EnumMap<>(Breach.class);
  private final Map<Breach, StringBuilder> shown = new EnumMap<>(Breach.class);
  private long opens;
  private int lastOpened = -1;

  /**
   * Checks {@code inner}, which {@code owner}'s loop owns ({@code null}: any thread may call).
   * {@code reported} counts, per worker, the closes the test's rig reported (null: not checked).
   */
  CheckedCounts(ConnectionCounts inner, Dispatcher owner, AtomicLongArray reported) {
    this.inner = inner;
    this.owner = owner;
    this.reported = reported;
    int n = inner.workers();
    this.model = new int[n];
    this.applied = new long[n];
  }

  /** Unchecked counts, for tests without loops. */
  CheckedCounts(ConnectionCounts inner) {
    this(inner, null, null);
  }

  // ConnectionCounts

  @Override
  public int workers() {
    return model.length;
  }

  @Override
  public synchronized int pick() {
    onLoop("pick()");
    int p = inner.pick();
    if (p < 0 || p >= model.length) {
      record(Breach.NOT_LEAST, "pick() returned " + p + ", which is not a worker (0 to "
          + (model.length - 1) + ")");
      return p;
    }
    int least = least();
    if (model[p] != model[least]) {
      record(Breach.NOT_LEAST, "pick() chose worker " + p + " with " + model[p]
          + " open, but worker " + least + " had " + model[least] + "; counts " + counts());
    } else if (p != least) {
      record(Breach.TIE, "pick() chose worker " + p + ", but worker " + least + " has as few ("
          + model[least] + ") and a lower index; counts " + counts());
    }
    return p;
  }

  @Override
  public synchronized void opened(int worker) {
    onLoop("opened(" + worker + ")");
    inner.opened(worker);
    model[worker]++;
    opens++;
    lastOpened = worker;
    checkCount("opened", worker);
  }

  @Override
  public synchronized void closed(int worker) {
    onLoop("closed(" + worker + ")");
    if (worker >= 0 && worker < model.length) {
      if (model[worker] == 0) {
        record(Breach.NEGATIVE, "closed(" + worker + ") when worker " + worker + " had no open"
            + " connection counted: the count would go negative (a close counted twice, or on"
            + " the wrong worker); counts " + counts());
        inner.closed(worker); // the contract says it throws and changes nothing
        return;
      }
      if (reported != null && applied[worker] >= reported.get(worker)) {
        record(Breach.UNREPORTED_CLOSE, "closed(" + worker + ") counted a close number "
            + (applied[worker] + 1) + " on worker " + worker + ", but its connections had"
            + " closed only " + reported.get(worker) + " times (a close counted twice, or on the"
            + " wrong worker)");
      }
    }
    inner.closed(worker);
    model[worker]--;
    applied[worker]++;
    checkCount("closed", worker);
  }

  @Override
  public synchronized int count(int worker) {
    onLoop("count(" + worker + ")");
    return inner.count(worker);
  }

  // For the rigs and the tests

  /**
   * Calls {@code balancer.assign()} and checks that it counted exactly one connection, on the
   * worker it returned. Returns that worker, or -1 (recorded) if it did not.
   */
  int assign(AcceptorBalancer balancer) {
    long before;
    synchronized (this) {
      before = opens;
    }
    int w;
    try {
      w = balancer.assign();
    } catch (RuntimeException e) {
      record(Breach.THREW, "assign() on the acceptor's loop threw " + e);
      throw e;
    }
    synchronized (this) {
      if (w < 0 || w >= model.length) {
        record(Breach.NOT_COUNTED, "assign() returned " + w + ", which is not a worker (0 to "
            + (model.length - 1) + ")");
        return -1;
      }
      if (opens != before + 1 || lastOpened != w) {
        record(Breach.NOT_COUNTED, "assign() returned worker " + w + " but counted "
            + (opens - before) + " connection(s)" + (opens > before ? ", the last on worker "
            + lastOpened : "") + "; expected exactly one, on worker " + w + ", before"
            + " assign() returns, so that the next assign() sees it");
      }
    }
    return w;
  }

  /** The model's counts now. Call it where the counts' owner may. */
  synchronized int[] modelCounts() {
    return model.clone();
  }

  /** YOUR counts now, read with {@code count(w)}. On the owner's loop. */
  synchronized int[] reportedByYou() {
    int[] c = new int[model.length];
    for (int w = 0; w < c.length; w++) {
      c[w] = inner.count(w);
    }
    return c;
  }

  /** Closes counted on each worker so far. */
  synchronized long[] closesCounted() {
    return applied.clone();
  }

  /** Records a breach found outside these methods (by a rig). */
  synchronized void record(Breach kind, String what) {
    int n = breaches.merge(kind, 1, Integer::sum);
    if (n <= SHOWN) {
      shown.computeIfAbsent(kind, k -> new StringBuilder()).append(n > 1 ? "; then: " : "")
          .append(what);
    }
  }

  /** Null if none of {@code kinds} was breached, else how many times and the first few. */
  synchronized String breaches(Breach... kinds) {
    StringBuilder b = new StringBuilder();
    for (Breach k : kinds) {
      Integer n = breaches.get(k);
      if (n != null) {
        b.append(b.length() > 0 ? " | " : "").append(n).append(n == 1 ? " breach" : " breaches")
            .append(" of kind ").append(k).append(": ").append(shown.get(k))
            .append(n > SHOWN ? " ..." : "");
      }
    }
    return b.length() == 0 ? null : b.toString();
  }

  /**
   * Fails with {@code problem}, after {@code expected}, unless it is null: for the checks above,
   * which return what went wrong rather than throw.
   */
  static void assertNone(String expected, String problem) {
    if (problem != null) {
      throw new AssertionError(expected + ", but " + problem);
    }
  }

  private void onLoop(String call) {
    if (owner != null && !owner.isThreadSafe()) {
      Dispatcher running = Dispatchers.current();
      record(Breach.OFF_LOOP, call + " ran on " + (running != null ? "the loop '"
          + running.name() + "'" : "thread '" + Thread.currentThread().getName() + "'")
          + ", not on the acceptor's loop '" + owner.name() + "': only the acceptor may touch"
          + " the counts (a worker posts its closes to the acceptor)");
    }
  }

  private void checkCount(String after, int worker) {
    int c = inner.count(worker);
    if (c != model[worker]) {
      record(Breach.WRONG_COUNT, "after " + after + "(" + worker + "), count(" + worker
          + ") is " + c + "; expected " + model[worker]);
    }
  }

  private int least() {
    int best = 0;
    for (int w = 1; w < model.length; w++) {
      if (model[w] < model[best]) {
        best = w;
      }
    }
    return best;
  }

  private String counts() {
    if (model.length <= 16) {
      return Arrays.toString(model);
    }
    return "(" + model.length + " workers)";
  }
}
