package io.kallisto.notebook;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every request of a traced scenario run, one row each: when the client sent it, when a server
 * worker began and ended it, and which worker. The client's send and the server's begin and end
 * are joined by request id; requests the trace saw only one side of are left out. Times are
 * nanoseconds from the trace's first event, as a {@link Window} measures them.
 *
 * <pre>{@code
 * Requests reqs = Requests.of(r.trace());
 * Window w = Moments.worstBlocker(r.trace());
 * List<Requests.Request> near = reqs.sentIn(w);          // sent inside the window
 * near.get(0).waitNanos();                              // server begin minus send
 * long late = reqs.count(q -> q.worker().equals("worker-0") && q.waitNanos() > 10_000_000);
 * }</pre>
 */
public final class Requests {
  /**
   * One request.
   *
   * @param id the request id
   * @param worker the name of the thread that served it
   * @param kind its kind as the request protocol codes it: 0 echo, 1 cpu, 2 sleep
   * @param sent when the client sent it, ns from the trace's first event
   * @param begun when the server began it, ns from the trace's first event
   * @param ended when the server ended it, ns from the trace's first event
   */
  public record Request(long id, String worker, int kind, long sent, long begun, long ended) {
    /** How long it waited before the server began it, ns. */
    public long waitNanos() {
      return begun - sent;
    }

    /** How long the server worked on it, ns. */
    public long serviceNanos() {
      return ended - begun;
    }
  }

  private final List<Request> all;

  private Requests(List<Request> all) {
    this.all = List.copyOf(all);
  }

  /**
   * Reads {@code trace} once and joins its requests, in the order they were sent.
   *
   * @throws java.io.UncheckedIOException if the file cannot be read, naming it
   */
  public static Requests of(Path trace) {
    try (TraceFile t = TraceFile.open(trace)) {
      long first = t.firstTime();
      Map<Long, long[]> byId = new HashMap<>(); // sent, begun, ended, thread + 1, kind
      t.forEach(e -> collect(e, byId));
      Map<Integer, String> names = t.threads();
      List<Request> list = new ArrayList<>();
      for (Map.Entry<Long, long[]> e : byId.entrySet()) {
        long[] r = e.getValue();
        if (r[0] == 0 || r[1] == 0 || r[2] == 0 || r[3] == 0) {
          continue;
        }
        int thread = (int) r[3] - 1;
        list.add(new Request(e.getKey(), names.getOrDefault(thread, "thread " + thread),
            (int) r[4], r[0] - first, r[1] - first, r[2] - first));
      }
      list.sort(Comparator.comparingLong(Request::sent).thenComparingLong(Request::id));
      return new Requests(list);
    }
  }

  private static void collect(TraceEvent e, Map<Long, long[]> byId) {
    boolean begin = e.type() == EventType.REQUEST_BEGIN;
    if (!begin && e.type() != EventType.REQUEST_END) {
      return;
    }
    long[] r = byId.computeIfAbsent(e.a(), id -> new long[5]);
    if (e.kind() == Tracing.CLIENT_SIDE) {
      if (begin) {
        r[0] = e.time();
      }
    } else if (begin) {
      r[1] = e.time();
      r[3] = e.thread() + 1L;
      r[4] = e.small();
    } else {
      r[2] = e.time();
    }
  }

  /** Every joined request, in the order sent. */
  public List<Request> all() {
    return all;
  }

  /** The requests sent inside {@code window}, in the order sent. */
  public List<Request> sentIn(Window window) {
    long from = window.from().toNanos();
    long to = window.to().toNanos();
    return where(r -> r.sent() >= from && r.sent() < to);
  }

  /** The requests that match {@code test}, in the order sent. */
  public List<Request> where(Predicate<Request> test) {
    return all.stream().filter(test).collect(Collectors.toList());
  }

  /** How many requests match {@code test}. */
  public long count(Predicate<Request> test) {
    return all.stream().filter(test).count();
  }

  /** How many requests were joined. */
  public int size() {
    return all.size();
  }

  @Override
  public String toString() {
    return all.size() + " requests";
  }
}
