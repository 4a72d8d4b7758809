package io.kallisto.trace.export;

import io.kallisto.scenario.Scenario;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import io.kallisto.trace.analysis.ReadProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a trace twice for an export and hands each event to an {@link ExportSink} in the shape
 * viewers draw: the first pass learns which flows have both ends ({@link FlowMatch}) and the
 * counters a trace does not record ({@link DerivedCounters}); the second turns slice records,
 * server requests (begin to end) and flow ends (posts, slot sets and completions, as slices of
 * no length) into slices put in nesting order per thread by a {@link SliceOrder}.
 *
 * <p>Only the blocks that meet the window are read ({@link TraceFile#forEach(int, long, long,
 * TraceFile.EventVisitor)}); an event is exported if it overlaps the window. Memory: one loop
 * iteration per thread, the requests in flight, and what {@link FlowMatch} keeps. Not
 * thread-safe; one run per instance.
 */
final class ExportStream {
  private final TraceFile trace;
  private final long from;
  private final long to;
  private final FlowMatch flows = new FlowMatch();
  private final DerivedCounters derived;
  private final Map<Integer, SliceOrder> orders = new HashMap<>();
  /** Server requests begun and not yet ended, by thread and request id. */
  private final Map<RequestKey, TraceEvent> serverRequests = new HashMap<>();
  private final Map<RequestKey, TraceEvent> clientRequests = new HashMap<>();
  private ExportSink sink;

  private record RequestKey(int thread, long request) {}

  /** A stream of the events of {@code trace} that overlap [{@code from}, {@code to}]. */
  ExportStream(TraceFile trace, long from, long to) {
    this.trace = trace;
    this.from = from;
    this.to = to;
    this.derived = new DerivedCounters(Math.max(from, trace.firstTime()));
  }

  /** The flows with both ends in the window; complete once {@link #run} has begun writing. */
  FlowMatch flows() {
    return flows;
  }

  /**
   * Runs both passes, writing to {@code sink}.
   *
   * @param progress hears now and then how far the two passes are, counted in events of the
   *     trace (each pass counts for half of each event, so the end is the trace's event count);
   *     may be null
   */
  void run(ExportSink sink, ReadProgress progress) {
    this.sink = sink;
    ReadProgress half = progress == null ? null : done -> progress.read(done / 2);
    long[] seen = {0};
    trace.forEach(-1, from, to, e -> {
      flows.visit(e);
      derived.visit(e);
      ReadProgress.tick(half, ++seen[0]);
    });
    trace.forEach(-1, from, to, e -> {
      visit(e);
      ReadProgress.tick(half, ++seen[0]);
    });
    for (SliceOrder o : orders.values()) {
      o.flush(sink);
    }
    // Requests cut off by the window or the end of the run: what is left is shown as it was.
    List<TraceEvent> open = new ArrayList<>(serverRequests.values());
    open.addAll(clientRequests.values());
    open.sort((a, b) -> Long.compare(a.time(), b.time()));
    open.forEach(sink::instant);
    for (DerivedCounters.Point p : derived.activeConnections()) {
      sink.derivedCounter(DerivedCounters.ACTIVE_CONNECTIONS, p);
    }
    for (DerivedCounters.Point p : derived.requestRate()) {
      sink.derivedCounter(DerivedCounters.REQUESTS_PER_SECOND, p);
    }
  }

  private void visit(TraceEvent e) {
    switch (e.type()) {
      case POLL:
      case WORK:
      case CALLBACK:
      case SPAN:
        order(e.thread()).add(e, sink);
        break;
      case POST:
      case SLOT_SET:
      case SLOT_COMPLETE:
        order(e.thread()).add(ExportSlice.point(e), sink);
        break;
      case COUNTER:
        sink.counter(e);
        break;
      case REQUEST_BEGIN:
        (e.kind() != Tracing.CLIENT_SIDE ? serverRequests : clientRequests)
            .put(new RequestKey(e.thread(), e.a()), e.copy());
        break;
      case REQUEST_END:
        requestEnd(e);
        break;
      default:
        sink.instant(e);
    }
  }

  private void requestEnd(TraceEvent e) {
    boolean server = e.kind() != Tracing.CLIENT_SIDE;
    TraceEvent begin = (server ? serverRequests : clientRequests)
        .remove(new RequestKey(e.thread(), e.a()));
    if (begin == null) {
      sink.instant(e); // its begin lies before the window, or was not traced
    } else if (server) {
      order(e.thread()).add(ExportSlice.request(begin, e.time()), sink);
    } else {
      sink.clientRequest(begin, e);
    }
  }

  private SliceOrder order(int thread) {
    return orders.computeIfAbsent(thread, t -> new SliceOrder());
  }

  /**
   * The label of a server request's kind, REQUEST_BEGIN's small field, which the request
   * protocol codes in the order of {@link Scenario.RequestKind} (0 echo, 1 cpu, 2 sleep).
   */
  static String requestKind(int small) {
    Scenario.RequestKind[] kinds = Scenario.RequestKind.values();
    return small >= 0 && small < kinds.length ? kinds[small].json() : "kind " + small;
  }
}
