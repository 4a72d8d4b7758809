package io.kallisto.trace.export;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two whole-run counters the visualizer derives and a trace does not record, learnt in a
 * first pass so that exports carry them too:
 *
 * <ul>
 *   <li>{@value #ACTIVE_CONNECTIONS}: connections open across all threads, counted on their
 *       accepting side (a load generator in the same process records each one again as a
 *       client), never below zero since a window may begin mid-run;
 *   <li>{@value #REQUESTS_PER_SECOND}: responses sent per {@value #RATE_WINDOW_MS} ms window,
 *       scaled to a rate; client-side ends count only in a trace without server-side ones.
 * </ul>
 *
 * <p>Memory: one entry per connection event and per rate window. Not thread-safe.
 */
final class DerivedCounters {
  /** The name of the whole-run connection counter, as the visualizer shows it. */
  static final String ACTIVE_CONNECTIONS = "active connections";
  /** The name of the request-rate counter, as the visualizer shows it. */
  static final String REQUESTS_PER_SECOND = "requests/s";
  /** The width of one request-rate window. */
  static final long RATE_WINDOW_MS = 100;
  private static final long RATE_WINDOW_NS = RATE_WINDOW_MS * 1_000_000;

  /** One value of a counter from {@code time} on. */
  record Point(long time, long value) {}

  private final TreeMap<Long, Long> connectionDelta = new TreeMap<>();
  /** Responses per window index, server side and client side. */
  private final TreeMap<Long, Long> serverEnds = new TreeMap<>();
  private final TreeMap<Long, Long> clientEnds = new TreeMap<>();
  private final long origin;

  /** Counters whose rate windows start at {@code origin}, in trace nanoseconds. */
  DerivedCounters(long origin) {
    this.origin = origin;
  }

  /** Notes what {@code e} adds; call once per event of the first pass. */
  void visit(TraceEvent e) {
    if (e.type() == EventType.CONNECTION_OPEN && e.kind() == 0) {
      connectionDelta.merge(e.time(), 1L, Long::sum);
    } else if (e.type() == EventType.CONNECTION_CLOSE && e.kind() == 0) {
      connectionDelta.merge(e.time(), -1L, Long::sum);
    } else if (e.type() == EventType.REQUEST_END) {
      long window = Math.floorDiv(e.time() - origin, RATE_WINDOW_NS);
      (e.kind() == 0 ? serverEnds : clientEnds).merge(window, 1L, Long::sum);
    }
  }

  /** Connections open over time; empty if the trace records none. */
  List<Point> activeConnections() {
    List<Point> points = new ArrayList<>();
    long open = 0;
    for (Map.Entry<Long, Long> d : connectionDelta.entrySet()) {
      open = Math.max(0, open + d.getValue());
      points.add(new Point(d.getKey(), open));
    }
    return points;
  }

  /**
   * Requests per second, one value per window from the first window with a response to the one
   * after the last (back to zero); empty if the trace records no requests.
   */
  List<Point> requestRate() {
    TreeMap<Long, Long> perWindow = serverEnds.isEmpty() ? clientEnds : serverEnds;
    List<Point> points = new ArrayList<>();
    if (perWindow.isEmpty()) {
      return points;
    }
    long scale = 1000 / RATE_WINDOW_MS;
    for (long w = perWindow.firstKey(); w <= perWindow.lastKey() + 1; w++) {
      points.add(new Point(origin + w * RATE_WINDOW_NS, perWindow.getOrDefault(w, 0L) * scale));
    }
    return points;
  }
}
