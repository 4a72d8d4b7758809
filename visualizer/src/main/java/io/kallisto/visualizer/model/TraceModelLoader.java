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
 * recorded, the second fills arrays of exactly that size. A block belongs to one thread, and a
 * thread's events depend only on each other, so both passes, and the sealing of each lane, run
 * thread by thread on a few {@link Workers} ({@link Workers#THREADS_PROPERTY}, by default one
 * per CPU), each thread's blocks read by a {@link TraceFile.Reader} of its own. What crosses
 * threads waits for the pass to end: a watchdog's miss, recorded by the watchdog, goes to the lane of the loop that stalled;
 * request ends, the largest label and the dispatchers' lanes are merged in thread order. A load
 * on one worker runs the same steps on the calling thread and gives the same model.
 */
final class TraceModelLoader {
  /** The counter the loop records for the size of each post batch. */
  static final String QUEUE_DEPTH = "queue depth";
  /** The counter a server worker records for its connections; the same as its open/close count. */
  static final String OPEN_CONNECTIONS = "open connections";

  /** The mark kind of a watchdog miss; a mega-miss is one more. Other marks have kind 0. */
  static final int WATCHDOG_MISS = 1;

  /**
   * What one thread recorded, counted in the first pass and filled in the second. Touched by
   * one worker during a pass, and by the calling thread between passes.
   */
  private static final class ThreadState {
    final int threadId;
    /** Events in this thread's blocks, by their headers: for handing out the big ones first. */
    long blockEvents;
    int slices;
    int posts;
    int marks;
    int slots;
    int connectionEvents;
    int requests;
    int maxLabel;
    final Map<Integer, int[]> counterCounts = new LinkedHashMap<>();
    /** Watchdog misses this thread recorded, by the thread whose loop stalled. */
    final Map<Integer, int[]> watchdogTargets = new TreeMap<>();
    int watchdogs;
    Lane lane;
    long[] connTime;
    long[] connDelta;
    boolean[] connClient;
    int conn;
    long requestBegin; // the server request in progress on this thread, if any
    long requestId = Long.MIN_VALUE;
    int requestKind;
    /** Where this thread's request ends go in the trace's array, and how many are in. */
    int requestBase;
    int requestFill;
    /** The client's requests this thread sent (a load generator), drawn on a lane of their own. */
    final ClientRequests client = new ClientRequests();
    Map<Integer, long[][]> counterData;
    Map<Integer, int[]> counterFill;
    /** Dispatcher trace id to this lane, for each dispatcher whose posts ran here. */
    final Map<Integer, Integer> dispatchers = new LinkedHashMap<>();
    // The watchdog misses of the second pass, held until every lane can take them.
    long[] missTime;
    long[] missA;
    int[] missKind;
    int[] missId;
    int[] missTarget;
    int misses;
    /** Events read in the current pass, not yet reported as progress. */
    long unreported;

    ThreadState(int threadId) {
      this.threadId = threadId;
    }
  }

  /** One step of a load, done for each thread on one worker with that worker's reader. */
  @FunctionalInterface
  private interface Step {
    void run(ThreadState s, TraceFile.Reader reader);
  }

  private final TraceFile trace;
  private final ReadProgress progress;
  /** The window read, on the trace's clock: every event for a whole load. */
  private final long from;
  private final long to;
  private final boolean windowed;
  private final int workers;
  private final Map<Integer, ThreadState> threads = new TreeMap<>();
  /** The threads, those with the most events first: the order workers take them in. */
  private final List<ThreadState> byWork = new ArrayList<>();
  private long[] requestEnds;
  private long reported;

  private TraceModelLoader(TraceFile trace, ReadProgress progress, ReadWindow window,
      int workers) {
    this.trace = trace;
    this.progress = progress;
    this.windowed = window != null;
    this.from = windowed ? window.absoluteFrom(trace.firstTime()) : Long.MIN_VALUE;
    this.to = windowed ? window.absoluteTo(trace.firstTime()) : Long.MAX_VALUE;
    this.workers = workers;
  }

  static TraceModel load(TraceFile trace, ReadProgress progress) {
    return load(trace, progress, null);
  }

  /** The model of the events that meet {@code window} (null: all of them). */
  static TraceModel load(TraceFile trace, ReadProgress progress, ReadWindow window) {
    return load(trace, progress, window, Workers.count());
  }

  /**
   * As {@link #load(TraceFile, ReadProgress, ReadWindow)}, decoding on {@code workers} threads
   * (1: the calling thread alone). The model is the same for any number.
   */
  static TraceModel load(TraceFile trace, ReadProgress progress, ReadWindow window,
      int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, not " + workers);
    }
    return new TraceModelLoader(trace, progress, window, workers).load();
  }

  private TraceModel load() {
    for (Integer id : trace.threads().keySet()) {
      threads.computeIfAbsent(id, ThreadState::new);
    }
    for (TraceFile.BlockInfo b : trace.blocks()) {
      threads.computeIfAbsent(b.thread(), ThreadState::new).blockEvents += b.count();
    }
    byWork.addAll(threads.values());
    byWork.sort((x, y) -> Long.compare(y.blockEvents, x.blockEvents)); // stable: ties by id
    eachThread((s, reader) -> reader.forEach(s.threadId, from, to, e -> count(s, e)));
    List<Lane> lanes = new ArrayList<>();
    int requests = 0;
    int maxLabel = 0;
    for (ThreadState s : threads.values()) {
      String name = trace.threads().getOrDefault(s.threadId, "thread-" + s.threadId);
      int marks = s.marks;
      for (ThreadState recorder : threads.values()) {
        int[] n = recorder.watchdogTargets.get(s.threadId);
        marks += n == null ? 0 : n[0];
      }
      s.lane = new Lane(lanes.size(), s.threadId, name, s.slices, s.posts, marks, s.slots);
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
      s.missTime = new long[s.watchdogs];
      s.missA = new long[s.watchdogs];
      s.missKind = new int[s.watchdogs];
      s.missId = new int[s.watchdogs];
      s.missTarget = new int[s.watchdogs];
      s.requestBase = requests;
      requests += s.requests;
      maxLabel = Math.max(maxLabel, s.maxLabel);
      lanes.add(s.lane);
      s.client.addLane(lanes, s.threadId, name);
    }
    requestEnds = new long[requests];
    eachThread((s, reader) -> reader.forEach(s.threadId, from, to, e -> fill(s, e)));

    Map<Integer, Integer> laneOfDispatcher = new HashMap<>();
    for (ThreadState s : threads.values()) {
      for (Map.Entry<Integer, Integer> d : s.dispatchers.entrySet()) {
        laneOfDispatcher.putIfAbsent(d.getKey(), d.getValue());
      }
      // On the lane of the loop that stalled, where the gap is; kind 1 miss, 2 mega-miss.
      for (int i = 0; i < s.misses; i++) {
        threads.get(s.missTarget[i]).lane.marks.add(s.missTime[i], s.missKind[i], s.missId[i],
            s.missA[i], 0);
      }
      s.missTime = null;
      s.missA = null;
    }
    String[] strings = new String[maxLabel + 1];
    for (int i = 1; i <= maxLabel; i++) {
      strings[i] = trace.string(i);
    }
    eachThread((s, reader) -> seal(s, strings));
    int totalConn = 0;
    for (ThreadState s : threads.values()) {
      totalConn += s.conn;
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

  /** A thread's counters, open connections and rows, once every lane holds all it will. */
  private void seal(ThreadState s, String[] strings) {
    Lane lane = s.lane;
    for (Map.Entry<Integer, long[][]> c : s.counterData.entrySet()) {
      long[][] d = c.getValue();
      String name = strings[c.getKey()] == null ? "counter " + c.getKey() : strings[c.getKey()];
      lane.counters.put(name, new Series(name, d[0], d[1], d[0].length, true));
    }
    s.counterData = null;
    s.client.seal();
    if (s.conn > 0 && !windowed) { // a window's opens and closes alone would miscount
      lane.connections = runningCount("open connections", s.connTime, s.connDelta, s.conn);
    }
    lane.seal();
  }

  /**
   * Runs {@code step} for every thread on up to {@link #workers} threads ({@link Workers}),
   * those with the most events first, each with a reader of its own; then reports the pass's
   * last events as progress.
   */
  private void eachThread(Step step) {
    List<Runnable> pieces = new ArrayList<>();
    for (ThreadState s : byWork) {
      pieces.add(() -> step.run(s, trace.reader()));
    }
    Workers.run(workers, pieces);
    long rest = 0;
    for (ThreadState s : byWork) {
      rest += s.unreported;
      s.unreported = 0;
    }
    if (rest > 0) {
      report(rest);
    }
  }

  /** Adds {@code events} to the progress heard: under a lock, so that it only ever grows. */
  private synchronized void report(long events) {
    reported += events;
    if (progress != null) {
      progress.read(reported);
    }
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

  /** One more event read on {@code s}'s worker; progress hears of them in batches. */
  private void tick(ThreadState s) {
    if (++s.unreported == ReadProgress.EVERY) {
      s.unreported = 0;
      report(ReadProgress.EVERY);
    }
  }

  private void count(ThreadState s, TraceEvent e) {
    tick(s);
    switch (e.type()) {
      case POLL:
      case WORK:
      case CALLBACK:
      case SPAN:
        s.slices++;
        s.maxLabel = Math.max(s.maxLabel, e.id());
        break;
      case POST:
        s.posts++;
        break;
      case MARK:
        s.marks++;
        s.maxLabel = Math.max(s.maxLabel, e.id());
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
          s.requests++; // the client records the same request again: count the server's end
          s.slices++; // and the server's work on it is a slice
        } else {
          s.client.count();
        }
        break;
      case WATCHDOG:
        s.watchdogs++;
        s.watchdogTargets.computeIfAbsent(stalled(e, s).threadId, k -> new int[1])[0]++;
        break;
      case COUNTER:
        s.counterCounts.computeIfAbsent(e.id(), k -> new int[1])[0]++;
        s.maxLabel = Math.max(s.maxLabel, e.id());
        break;
      default:
        break; // timer arms and request begins are not drawn
    }
  }

  private void fill(ThreadState s, TraceEvent e) {
    tick(s);
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
          s.dispatchers.putIfAbsent((int) (e.b() >>> 40), lane.index());
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
          requestEnds[s.requestBase + s.requestFill++] = e.time();
          // A trace that starts mid-request has no begin: a zero-length slice at the end.
          boolean begun = s.requestId == e.a();
          lane.addSlice(begun ? s.requestBegin : e.time(), e.time(), SliceCategory.REQUEST, 0,
              SliceDetails.requestAux(begun ? s.requestKind : 0xff, e.a()));
          s.requestId = Long.MIN_VALUE;
        } else {
          s.client.received(e.a(), e.time());
        }
        break;
      case WATCHDOG: // for the lane of the loop that stalled, once every pass is done
        s.missTime[s.misses] = e.time();
        s.missKind[s.misses] = WATCHDOG_MISS + e.kind();
        s.missId[s.misses] = e.id();
        s.missA[s.misses] = e.a();
        s.missTarget[s.misses++] = stalled(e, s).threadId;
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
