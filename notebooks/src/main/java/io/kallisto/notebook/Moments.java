package io.kallisto.notebook;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.HeadOfLineBlocking;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds the moment a lesson is about in a trace, and returns a {@link Window} around it for
 * {@link Timeline#show(Path, Window)}: the worst head-of-line blocker, the longest callback, the
 * first post that had to wake its loop, an ordinary turn of a loop once it is warm. A window
 * chosen by fixed times shows JIT warm-up or nothing at all on a machine with other timing; one
 * chosen here shows the event on every run.
 *
 * <pre>{@code
 * Timeline.show(r.trace(), Moments.worstBlocker(r.trace()));
 * Timeline.showFlows(t, Moments.firstWakeup(t));
 * Timeline.show(t, Moments.steadyTurn(t, "worker-0", 3));
 * }</pre>
 *
 * <p>Each reads the trace once or twice; they throw {@link IllegalArgumentException} saying what
 * is missing when the trace has no such moment (no requests, no wakeup, no such thread).
 */
public final class Moments {
  private Moments() {}

  /**
   * The request whose blocking of its loop made the most other requests wait (ties: the longer
   * one), with half its length of context on each side. Needs a traced scenario run (client and
   * server request events); without requests it falls back to {@link #longestCallback}.
   */
  public static Window worstBlocker(Path trace) {
    try (TraceFile t = TraceFile.open(trace)) {
      HeadOfLineBlocking hol = HeadOfLineBlocking.of(t, 1_000_000L);
      HeadOfLineBlocking.Blocker worst = hol.blockers().stream()
          .max(Comparator.comparingInt(HeadOfLineBlocking.Blocker::queuedBehind)
              .thenComparingLong(HeadOfLineBlocking.Blocker::duration))
          .orElse(null);
      if (worst == null) {
        return longestCallback(trace, null);
      }
      long first = t.firstTime();
      long pad = Math.max(1_000_000L, worst.duration() / 2);
      String thread = t.threads().getOrDefault(worst.thread(), "thread " + worst.thread());
      return Window.ofNanos(worst.begin() - first - pad, worst.end() - first + pad,
          thread + ": the request that made the most others wait held the loop "
              + Numbers.millis(worst.duration()) + ", " + worst.queuedBehind()
              + " requests queued behind it");
    }
  }

  /**
   * The longest callback on {@code thread} (any thread when {@code null}), with half its length
   * of context on each side.
   *
   * @throws IllegalArgumentException if there is no such thread or it ran no callback
   */
  public static Window longestCallback(Path trace, String thread) {
    try (TraceFile t = TraceFile.open(trace)) {
      int id = thread == null ? -1 : threadId(t, thread);
      TraceEvent[] longest = {null};
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK && (id < 0 || e.thread() == id)
            && (longest[0] == null || e.duration() > longest[0].duration())) {
          longest[0] = e.copy();
        }
      });
      TraceEvent e = longest[0];
      if (e == null) {
        throw new IllegalArgumentException("trace " + trace.getFileName() + " has no callback"
            + (thread == null ? "" : " on " + thread));
      }
      long first = t.firstTime();
      long pad = Math.max(200_000L, e.duration() / 2);
      CallbackKind kind = e.callbackKind();
      return Window.ofNanos(e.time() - first - pad, e.end() - first + pad,
          t.threads().get(e.thread()) + ": the longest callback ("
              + (kind == null ? "callback" : kind.label()) + ", "
              + Numbers.millis(e.duration()) + ")");
    }
  }

  /**
   * The first {@code post()} that had to write a wakeup (its loop was asleep), from the post to
   * the end of the callback it caused, with context: draw it with {@link Timeline#showFlows} to
   * see the arrow.
   *
   * @throws IllegalArgumentException if no post in the trace woke its loop
   */
  public static Window firstWakeup(Path trace) {
    try (TraceFile t = TraceFile.open(trace)) {
      // Blocks come in file order, threads interleaved: find the earliest waking post first,
      // then its callback, which may sit in an earlier block of another thread.
      TraceEvent[] post = {null};
      TraceEvent[] callback = {null};
      t.forEach(e -> {
        if (e.type() == EventType.POST && e.kind() == 1 && e.b() != 0
            && (post[0] == null || e.time() < post[0].time())) {
          post[0] = e.copy();
        }
      });
      if (post[0] != null) {
        long flow = post[0].b();
        t.forEach(e -> {
          if (callback[0] == null && e.type() == EventType.CALLBACK && e.b() == flow
              && e.callbackKind() != CallbackKind.TIMER
              && e.callbackKind() != CallbackKind.FILE_EVENT) { // their b is no flow id
            callback[0] = e.copy();
          }
        });
      }
      if (post[0] == null) {
        throw new IllegalArgumentException("trace " + trace.getFileName()
            + " has no post that woke its loop (every post found the loop awake)");
      }
      long first = t.firstTime();
      long start = post[0].time();
      long end = callback[0] == null ? start + 100_000L : callback[0].end();
      long pad = Math.max(50_000L, (end - start) / 2);
      return Window.ofNanos(start - first - pad, end - first + pad,
          t.threads().get(post[0].thread()) + " posted to a sleeping loop: one eventfd write, "
              + (callback[0] == null ? "callback not in the trace"
                  : "callback ran " + Numbers.micros(callback[0].time() - start) + " later"));
    }
  }

  /**
   * An ordinary stretch of {@code thread}'s loop once warm: {@code iterations} iterations around
   * the one whose work took the median time, chosen from the second half of the trace (the first
   * half holds class loading and JIT compilation).
   *
   * @throws IllegalArgumentException if there is no such thread or it ran no iteration there
   */
  public static Window steadyTurn(Path trace, String thread, int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations=" + iterations + "; use 1 or more");
    }
    try (TraceFile t = TraceFile.open(trace)) {
      int id = threadId(t, thread);
      long first = t.firstTime();
      long half = first + (t.lastTime() - first) / 2;
      List<long[]> turns = new ArrayList<>(); // poll start, work end, work duration
      long[] poll = {Long.MIN_VALUE};
      t.forEach(id, half, Long.MAX_VALUE, e -> {
        if (e.type() == EventType.POLL) {
          poll[0] = e.time();
        } else if (e.type() == EventType.WORK && poll[0] != Long.MIN_VALUE) {
          turns.add(new long[] {poll[0], e.end(), e.duration()});
        }
      });
      if (turns.isEmpty()) {
        throw new IllegalArgumentException("trace " + trace.getFileName() + ": " + thread
            + " ran no loop iteration in the second half of the trace");
      }
      List<long[]> byWork = new ArrayList<>(turns);
      byWork.sort(Comparator.comparingLong(x -> x[2]));
      long[] median = byWork.get(byWork.size() / 2);
      int at = turns.indexOf(median);
      int lo = Math.max(0, at - (iterations - 1) / 2);
      int hi = Math.min(turns.size() - 1, lo + iterations - 1);
      long from = turns.get(lo)[0];
      long to = turns.get(hi)[1];
      long pad = Math.max(10_000L, (to - from) / 10);
      return Window.ofNanos(from - first - pad, to - first + pad, thread + ": " + (hi - lo + 1)
          + " ordinary iterations once warm (the middle one's work took the median "
          + Numbers.micros(median[2]) + ")");
    }
  }

  /**
   * {@code half} on each side of {@code at}, both measured from the trace's first event.
   *
   * <pre>{@code Moments.around(Duration.ofMillis(250), Duration.ofMillis(5), "the config push")}</pre>
   */
  public static Window around(java.time.Duration at, java.time.Duration half, String why) {
    return Window.ofNanos(at.minus(half).toNanos(), at.plus(half).toNanos(), why);
  }

  /** The id of the thread named {@code thread} in {@code t}; throws naming the threads there are. */
  static int threadId(TraceFile t, String thread) {
    for (Map.Entry<Integer, String> e : t.threads().entrySet()) {
      if (e.getValue().equals(thread)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("trace " + t.path().getFileName() + " has no thread '"
        + thread + "'; it has " + t.threads().values());
  }
}
