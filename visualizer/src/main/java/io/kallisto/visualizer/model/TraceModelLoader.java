package io.kallisto.visualizer.model;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import io.kallisto.trace.analysis.ReadProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a trace into a {@link TraceModel} in two passes: the first counts what each thread
 * recorded, the second fills arrays of exactly that size. Events come block by block, and a
 * block belongs to one thread, so the per-thread state is looked up once per block rather than
 * once per event.
 */
final class TraceModelLoader {
  /** The counter the loop records for the size of each post batch. */
  static final String QUEUE_DEPTH = "queue depth";
  /** The counter a server worker records for its connections; the same as its open/close count. */
  static final String OPEN_CONNECTIONS = "open connections";

  /** The mark kind of a watchdog miss; a mega-miss is one more. Other marks have kind 0. */
  static final int WATCHDOG_MISS = 1;

  /** What one thread recorded, counted in the first pass and filled in the second. */
  private static final class ThreadState {
    final int threadId;
    int slices;
    int posts;
    int marks;
    int slots;
    int connectionEvents;
    final Map<Integer, int[]> counterCounts = new LinkedHashMap<>();
    Lane lane;
    long[] connTime;
    long[] connDelta;
    boolean[] connClient;
    int conn;
    long requestBegin; // the server request in progress on this thread, if any
    long requestId = Long.MIN_VALUE;
    int requestKind;
    /** The client's requests this thread sent (a load generator), drawn on a lane of their own. */
    final ClientRequests client = new ClientRequests();
    Map<Integer, long[][]> counterData;
    Map<Integer, int[]> counterFill;

    ThreadState(int threadId) {
      this.threadId = threadId;
    }
  }

  private final TraceFile trace;
  private final ReadProgress progress;
  /** The window read, on the trace's clock: every event for a whole load. */
  private final long from;
  private final long to;
  private final boolean windowed;
  private final Map<Integer, ThreadState> threads = new TreeMap<>();
  private ThreadState last;
  private int requests;
  private int maxLabel;
  private long seen;

  private TraceModelLoader(TraceFile trace, ReadProgress progress, ReadWindow window) {
    this.trace = trace;
    this.progress = progress;
    this.windowed = window != null;
    this.from = windowed ? window.absoluteFrom(trace.firstTime()) : Long.MIN_VALUE;
    this.to = windowed ? window.absoluteTo(trace.firstTime()) : Long.MAX_VALUE;
  }

  static TraceModel load(TraceFile trace, ReadProgress progress) {
    return load(trace, progress, null);
  }

  /** The model of the events that meet {@code window} (null: all of them). */
  static TraceModel load(TraceFile trace, ReadProgress progress, ReadWindow window) {
    return new TraceModelLoader(trace, progress, window).load();
  }

  private ThreadState state(int threadId) {
    ThreadState s = last;
    if (s == null || s.threadId != threadId) {
      s = threads.computeIfAbsent(threadId, ThreadState::new);
      last = s;
    }
    return s;
  }

  private TraceModel load() {
    for (Integer id : trace.threads().keySet()) {
      state(id);
    }
    trace.forEach(-1, from, to, this::count);
    List<Lane> lanes = new ArrayList<>();
    for (ThreadState s : threads.values()) {
      String name = trace.threads().getOrDefault(s.threadId, "thread-" + s.threadId);
      s.lane = new Lane(lanes.size(), s.threadId, name, s.slices, s.posts, s.marks, s.slots);
      s.connTime = new long[s.connectionEvents];
      s.connDelta = new long[s.connectionEvents];
      s.connClient = new boolean[s.connectionEvents];
      s.counterData = new HashMap<>();
      s.counterFill = new HashMap<>();
      for (Map.Entry<Integer, int[]> c : s.counterCounts.entrySet()) {
        s.counterData.put(c.getKey(), new long[][] {new long[c.getValue()[0]],
            new long[c.getValue()[0]]});
        s.counterFill.put(c.getKey(), new int[1]);
      }
      lanes.add(s.lane);
      s.client.addLane(lanes, s.threadId, name);
    }
    long[] requestEnds = new long[requests];
    int[] requestFill = {0};
    Map<Integer, Integer> laneOfDispatcher = new HashMap<>();
    last = null;
    trace.forEach(-1, from, to, e -> fill(e, requestEnds, requestFill, laneOfDispatcher));

    String[] strings = new String[maxLabel + 1];
    for (int i = 1; i <= maxLabel; i++) {
      strings[i] = trace.string(i);
    }
    int totalConn = 0;
    for (ThreadState s : threads.values()) {
      Lane lane = s.lane;
      for (Map.Entry<Integer, long[][]> c : s.counterData.entrySet()) {
        long[][] d = c.getValue();
        String name = strings[c.getKey()] == null ? "counter " + c.getKey() : strings[c.getKey()];
        lane.counters.put(name, new Series(name, d[0], d[1], d[0].length, true));
      }
      s.client.seal();
      if (s.conn > 0 && !windowed) { // a window's opens and closes alone would miscount
        lane.connections = runningCount("open connections", s.connTime, s.connDelta, s.conn);
      }
      totalConn += s.conn;
      lane.seal();
    }
    // The global track counts each connection once: on its accepting (server) side, since a
    // load generator in the same process records the same connection as a client.
    long[] allTime = new long[totalConn];
    long[] allDelta = new long[totalConn];
    int n = 0;
    for (ThreadState s : threads.values()) {
      for (int i = 0; i < s.conn && !windowed; i++) {
        if (!s.connClient[i]) {
          allTime[n] = s.connTime[i];
          allDelta[n++] = s.connDelta[i];
        }
      }
      s.connTime = null;
      s.connDelta = null;
      s.connClient = null;
    }
    java.util.Arrays.sort(requestEnds);
    QueueDepths.merge(lanes, laneOfDispatcher);
    TraceModel model = new TraceModel(trace.path(), new LinkedHashMap<>(trace.header()),
        trace.virtualClock(), trace.eventCount(), trace.firstTime(), trace.lastTime(),
        trace.damages(), trace.end(), trace.version(), trace.headerChecked(),
        lanes, strings, laneOfDispatcher, requestEnds,
        runningCount("active connections", allTime, allDelta, n));
    // Joins both sides now, so client slices learn their kind before any label is drawn, and
    // builds the heat strip here rather than in the window's first frame.
    model.requests().strip();
    return model;
  }

  /** The state of the thread whose loop a watchdog event names, or the recorder's own. */
  private ThreadState stalled(TraceEvent e, ThreadState recorder) {
    String name = e.label();
    for (Map.Entry<Integer, String> t : trace.threads().entrySet()) {
      if (t.getValue().equals(name)) {
        return threads.get(t.getKey());
      }
    }
    return recorder;
  }

  /** A count over time from +1/-1 events, never below zero (a trace may begin mid-run). */
  private static Series runningCount(String name, long[] time, long[] delta, int n) {
    int[] perm = PrimitiveSort.order(time, n);
    long[] t = perm == null ? time : PrimitiveSort.apply(time, perm);
    long[] d = perm == null ? delta : PrimitiveSort.apply(delta, perm);
    long[] value = new long[n];
    long open = 0;
    for (int i = 0; i < n; i++) {
      open = Math.max(0, open + d[i]);
      value[i] = open;
    }
    return new Series(name, t, value, n, false);
  }

  private void tick() {
    ReadProgress.tick(progress, ++seen);
  }

  private void count(TraceEvent e) {
    tick();
    ThreadState s = state(e.thread());
    switch (e.type()) {
      case POLL:
      case WORK:
      case CALLBACK:
      case SPAN:
        s.slices++;
        maxLabel = Math.max(maxLabel, e.id());
        break;
      case POST:
        s.posts++;
        break;
      case MARK:
        s.marks++;
        maxLabel = Math.max(maxLabel, e.id());
        break;
      case SLOT_SET:
      case SLOT_COMPLETE:
        s.slots++;
        break;
      case CONNECTION_OPEN:
      case CONNECTION_CLOSE:
        s.connectionEvents++;
        break;
      case REQUEST_END:
        if (e.kind() != Tracing.CLIENT_SIDE) {
          requests++; // the client records the same request again: count the server's end
          s.slices++; // and the server's work on it is a slice
        } else {
          s.client.count();
        }
        break;
      case WATCHDOG:
        stalled(e, s).marks++;
        break;
      case COUNTER:
        s.counterCounts.computeIfAbsent(e.id(), k -> new int[1])[0]++;
        maxLabel = Math.max(maxLabel, e.id());
        break;
      default:
        break; // timer arms and request begins are not drawn
    }
  }

  private void fill(TraceEvent e, long[] requestEnds, int[] requestFill,
      Map<Integer, Integer> laneOfDispatcher) {
    tick();
    ThreadState s = state(e.thread());
    Lane lane = s.lane;
    switch (e.type()) {
      case POLL:
        lane.addSlice(e.time(), e.end(), e.kind() == 1 ? SliceCategory.POLL_WAIT
            : SliceCategory.POLL, 0, e.b());
        break;
      case WORK:
        lane.addSlice(e.time(), e.end(), SliceCategory.WORK, 0, 0);
        break;
      case CALLBACK: {
        CallbackKind kind = e.callbackKind();
        lane.addSlice(e.time(), e.end(), SliceCategory.ofCallback(kind), e.id(), e.b());
        if (kind == CallbackKind.POST && e.b() >= 1L << 40) {
          laneOfDispatcher.putIfAbsent((int) (e.b() >>> 40), lane.index());
        }
        break;
      }
      case SPAN:
        lane.addSlice(e.time(), e.end(), SliceCategory.SPAN, e.id(), 0);
        break;
      case POST:
        lane.posts.add(e.time(), e.kind(), e.id(), e.a(), e.b());
        break;
      case MARK:
        lane.marks.add(e.time(), 0, e.id(), 0, 0);
        break;
      case SLOT_SET:
      case SLOT_COMPLETE:
        lane.slots.add(e.time(), e.type() == EventType.SLOT_SET ? 0 : 1, e.id(), 0, e.b());
        break;
      case CONNECTION_OPEN:
      case CONNECTION_CLOSE:
        s.connTime[s.conn] = e.time();
        s.connDelta[s.conn] = e.type() == EventType.CONNECTION_OPEN ? 1 : -1;
        s.connClient[s.conn++] = e.kind() == Tracing.CLIENT_SIDE;
        break;
      case REQUEST_BEGIN:
        if (e.kind() != Tracing.CLIENT_SIDE) {
          s.requestBegin = e.time();
          s.requestId = e.a();
          s.requestKind = e.small();
        } else {
          s.client.sent(e.a(), e.time());
        }
        break;
      case REQUEST_END:
        if (e.kind() != Tracing.CLIENT_SIDE) {
          requestEnds[requestFill[0]++] = e.time();
          // A trace that starts mid-request has no begin: a zero-length slice at the end.
          boolean begun = s.requestId == e.a();
          lane.addSlice(begun ? s.requestBegin : e.time(), e.time(), SliceCategory.REQUEST, 0,
              SliceDetails.requestAux(begun ? s.requestKind : 0xff, e.a()));
          s.requestId = Long.MIN_VALUE;
        } else {
          s.client.received(e.a(), e.time());
        }
        break;
      case WATCHDOG:
        // On the lane of the loop that stalled, where the gap is; kind 1 miss, 2 mega-miss.
        stalled(e, s).lane.marks.add(e.time(), WATCHDOG_MISS + e.kind(), e.id(), e.a(), 0);
        break;
      case COUNTER: {
        long[][] d = s.counterData.get(e.id());
        int[] f = s.counterFill.get(e.id());
        d[0][f[0]] = e.time();
        d[1][f[0]++] = e.a();
        break;
      }
      default:
        break;
    }
  }
}
