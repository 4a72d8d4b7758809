package io.kallisto.trace.analysis;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds head-of-line blocking in a trace of request/response traffic: requests that held a
 * worker's loop for at least a threshold (the <em>blockers</em>), and their <em>victims</em>,
 * the requests the same worker began only after a blocker ended although they were sent before
 * it ended. Some were already sent when it began (queued behind it: each waited at least as long
 * as it ran); the others arrived while it ran, as they keep doing for as long as it runs in
 * open-loop load (arrivals on a schedule, whatever the server does).
 *
 * <p>It joins, by request id, the client's send ({@code request-begin} of kind client) with the
 * server's begin and end on the worker's thread. Requests the trace saw only one side of are
 * ignored.
 *
 * <pre>{@code
 * HeadOfLineBlocking hol = HeadOfLineBlocking.of(trace, 10_000_000);  // 10 ms
 * for (HeadOfLineBlocking.Blocker b : hol.blockers()) { ... b.queuedBehind() ... }
 * }</pre>
 */
public final class HeadOfLineBlocking {
  /**
   * A request that held its worker for at least the threshold.
   *
   * @param thread the worker's trace thread id
   * @param request the request id
   * @param begin when the server began it (ns)
   * @param end when the server answered it (ns)
   * @param queuedBehind requests sent before {@code begin} that the worker began after
   *     {@code end}
   * @param shortestWait the shortest wait (server begin minus send) among those, ns; 0 if none
   * @param arrivedWhileRunning requests sent while it ran (from {@code begin} to {@code end})
   *     that the worker began after {@code end}: on one loop thread, every request sent to that
   *     worker in that time
   */
  public record Blocker(int thread, long request, long begin, long end, int queuedBehind,
      long shortestWait, int arrivedWhileRunning) {
    /** How long it held the loop, ns. */
    public long duration() {
      return end - begin;
    }

    /**
     * The requests that waited for it: queued behind it when it began, or arrived while it
     * ran. All of them began after it ended.
     */
    public int victims() {
      return queuedBehind + arrivedWhileRunning;
    }
  }

  private final List<Blocker> blockers;
  private final long requests;
  private final long longWaits;
  private final long longestWait;

  private HeadOfLineBlocking(List<Blocker> blockers, long requests, long longWaits,
      long longestWait) {
    this.blockers = List.copyOf(blockers);
    this.requests = requests;
    this.longWaits = longWaits;
    this.longestWait = longestWait;
  }

  /** Reads {@code trace} once; a blocker runs for at least {@code thresholdNanos}. */
  public static HeadOfLineBlocking of(TraceFile trace, long thresholdNanos) {
    Map<Long, long[]> byId = new HashMap<>(); // sent, begin, end, thread (+1, 0 = unseen)
    trace.forEach(e -> collect(e, byId));
    Map<Integer, List<long[]>> perThread = new HashMap<>();
    long longWaits = 0;
    long longestWait = 0;
    long joined = 0;
    for (Map.Entry<Long, long[]> entry : byId.entrySet()) {
      long[] r = entry.getValue();
      if (r[SENT] == 0 || r[THREAD] == 0 || r[END] == 0) {
        continue;
      }
      joined++;
      long wait = r[BEGIN] - r[SENT];
      longestWait = Math.max(longestWait, wait);
      if (wait >= thresholdNanos) {
        longWaits++;
      }
      perThread.computeIfAbsent((int) r[THREAD] - 1, t -> new ArrayList<>())
          .add(new long[] {r[SENT], r[BEGIN], r[END], entry.getKey()});
    }
    List<Blocker> blockers = new ArrayList<>();
    for (Map.Entry<Integer, List<long[]>> t : perThread.entrySet()) {
      List<long[]> served = t.getValue();
      served.sort(Comparator.comparingLong(r -> r[1]));
      long threadLongestWait = 0;
      for (long[] r : served) {
        threadLongestWait = Math.max(threadLongestWait, r[1] - r[0]);
      }
      for (int i = 0; i < served.size(); i++) {
        long[] b = served.get(i);
        if (b[2] - b[1] >= thresholdNanos) {
          blockers.add(blocker(t.getKey(), served, i, threadLongestWait));
        }
      }
    }
    blockers.sort(Comparator.comparingLong(Blocker::begin));
    return new HeadOfLineBlocking(blockers, joined, longWaits, longestWait);
  }

  private static Blocker blocker(int thread, List<long[]> served, int index, long longestWait) {
    long[] b = served.get(index);
    int queued = 0;
    int arrived = 0;
    long shortest = Long.MAX_VALUE;
    boolean countQueued = true;
    // Everything served after b on this thread began after b ended. A request sent before b
    // ended begins at most longestWait after that: no victim lies beyond.
    for (int j = index + 1; j < served.size(); j++) {
      long[] r = served.get(j);
      if (r[1] > b[2] + longestWait) {
        break;
      }
      // Queued ones are counted up to the first request sent after b ended that began more than
      // b's duration after its end.
      if (r[0] >= b[2] && r[1] > b[2] + (b[2] - b[1])) {
        countQueued = false;
      }
      if (r[1] < b[2]) {
        continue;
      }
      if (r[0] < b[1]) {
        if (countQueued) {
          queued++;
          shortest = Math.min(shortest, r[1] - r[0]);
        }
      } else if (r[0] < b[2]) {
        arrived++;
      }
    }
    return new Blocker(thread, b[3], b[1], b[2], queued, queued == 0 ? 0 : shortest, arrived);
  }

  private static final int SENT = 0;
  private static final int BEGIN = 1;
  private static final int END = 2;
  private static final int THREAD = 3;

  private static void collect(TraceEvent e, Map<Long, long[]> byId) {
    boolean begin = e.type() == EventType.REQUEST_BEGIN;
    if (!begin && e.type() != EventType.REQUEST_END) {
      return;
    }
    long[] r = byId.computeIfAbsent(e.a(), id -> new long[4]);
    if (e.kind() == Tracing.CLIENT_SIDE) {
      if (begin) {
        r[SENT] = e.time();
      }
    } else if (begin) {
      r[BEGIN] = e.time();
      r[THREAD] = e.thread() + 1L;
    } else {
      r[END] = e.time();
    }
  }

  /** Requests that held a worker for at least the threshold, in order of their start. */
  public List<Blocker> blockers() {
    return blockers;
  }

  /** Requests seen on both sides (client send, server begin and end). */
  public long requests() {
    return requests;
  }

  /** Requests that waited at least the threshold between being sent and the server beginning. */
  public long longWaits() {
    return longWaits;
  }

  /** The longest wait between send and server begin, ns. */
  public long longestWait() {
    return longestWait;
  }
}
