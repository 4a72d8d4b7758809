package io.kallisto.visualizer.model;

import java.util.Arrays;
import java.util.List;

/**
 * Every request of a trace, its two sides joined by the request id both record: the server's
 * slice (from {@code request-begin} to {@code request-end} on the worker that served it) and the
 * client's (from the send to the response, on the load generator's requests lane). Either side
 * may be missing: a trace that began mid-run, or a server without a traced client.
 *
 * <p>Columnar, in order of id, so that finding one is a binary search: no hash map, which for
 * millions of requests would cost as much as the requests themselves. Joining also gives each client
 * slice the kind only the server recorded ({@code sleep request}), so that labels and search
 * name both sides alike. Immutable once built; any thread may read it.
 *
 * <pre>{@code
 * Requests r = model.requests();
 * int k = r.find(412);
 * if (k >= 0 && r.joined(k)) System.out.println(TimeFormat.duration(r.latency(k)));
 * }</pre>
 */
public final class Requests {
  private final long[] ids;
  private final int[] serverLane;
  private final int[] serverSlice;
  private final int[] clientLane;
  private final int[] clientSlice;
  private final long[] latency;
  private final long[] sortedLatency;
  private final TraceModel model;
  private LatencyStrip strip;
  private long stripThreshold = Long.MIN_VALUE;
  private int[] slowByStart;

  private Requests(TraceModel model, long[] ids, int[] serverLane, int[] serverSlice,
      int[] clientLane, int[] clientSlice) {
    this.model = model;
    this.ids = ids;
    this.serverLane = serverLane;
    this.serverSlice = serverSlice;
    this.clientLane = clientLane;
    this.clientSlice = clientSlice;
    latency = new long[ids.length];
    for (int k = 0; k < ids.length; k++) {
      latency[k] = end(k) - start(k);
    }
    sortedLatency = latency.clone();
    Arrays.sort(sortedLatency);
  }

  /**
   * Joins the request slices of every lane of {@code model}: each side's slices sorted by id
   * (already in order, or nearly, as a load generator numbers them; the two sides at once, on
   * {@link Workers}), then merged, in time linear in the requests but for the sort. Called once,
   * by the model.
   */
  static Requests of(TraceModel model) {
    Side[] sides = new Side[2];
    Workers.run(Workers.count(), List.of(() -> sides[0] = new Side(model, false),
        () -> sides[1] = new Side(model, true)));
    Side server = sides[0];
    Side client = sides[1];
    int size = 0;
    for (int i = 0, j = 0; i < server.n || j < client.n; size++) {
      int c = compare(server, i, client, j);
      i += c <= 0 ? 1 : 0;
      j += c >= 0 ? 1 : 0;
    }
    long[] ids = new long[size];
    int[] sl = new int[size];
    int[] ss = new int[size];
    int[] cl = new int[size];
    int[] cs = new int[size];
    for (int i = 0, j = 0, k = 0; k < size; k++) {
      int c = compare(server, i, client, j);
      ids[k] = c <= 0 ? server.ids[i] : client.ids[j];
      sl[k] = c <= 0 ? server.lane[i] : -1;
      ss[k] = c <= 0 ? server.slice[i++] : 0;
      cl[k] = c >= 0 ? client.lane[j] : -1;
      cs[k] = c >= 0 ? client.slice[j++] : 0;
      if (sl[k] >= 0 && cl[k] >= 0) {
        // the kind byte only the server knows, for the client's label and search
        model.lanes.get(cl[k]).aux[cs[k]] = model.lanes.get(sl[k]).aux[ss[k]];
      }
    }
    return new Requests(model, ids, sl, ss, cl, cs);
  }

  /** Which of the two sides' next requests comes first by id: -1 server, 1 client, 0 both. */
  private static int compare(Side server, int i, Side client, int j) {
    if (i == server.n) {
      return 1;
    }
    if (j == client.n) {
      return -1;
    }
    return Long.compare(server.ids[i], client.ids[j]);
  }

  /**
   * The request slices of one side (servers' or clients') by id, each id once: should an id
   * repeat on one side (two servers in one trace), the first in lane order is kept.
   */
  private static final class Side {
    long[] ids;
    int[] lane;
    int[] slice;
    int n;

    Side(TraceModel model, boolean client) {
      for (Lane l : model.lanes()) {
        if (l.clientRequests == client) {
          for (int i = 0; i < l.sliceCount(); i++) {
            n += l.cat[i] == SliceCategory.REQUEST.ordinal() ? 1 : 0;
          }
        }
      }
      ids = new long[n];
      lane = new int[n];
      slice = new int[n];
      int m = 0;
      for (Lane l : model.lanes()) {
        if (l.clientRequests != client) {
          continue;
        }
        for (int i = 0; i < l.sliceCount(); i++) {
          if (l.cat[i] == SliceCategory.REQUEST.ordinal()) {
            ids[m] = SliceDetails.requestId(l.aux[i]);
            lane[m] = l.index();
            slice[m++] = i;
          }
        }
      }
      int[] perm = PrimitiveSort.order(ids, n); // stable: the first of equal ids stays first
      if (perm != null) {
        ids = PrimitiveSort.apply(ids, perm);
        lane = PrimitiveSort.apply(lane, perm);
        slice = PrimitiveSort.apply(slice, perm);
      }
      int kept = 0;
      for (int i = 0; i < n; i++) {
        if (kept == 0 || ids[i] != ids[kept - 1]) {
          ids[kept] = ids[i];
          lane[kept] = lane[i];
          slice[kept++] = slice[i];
        }
      }
      n = kept;
    }
  }

  /** Requests known, on either side. */
  public int size() {
    return ids.length;
  }

  /** The position of request {@code id}, or -1. */
  public int find(long id) {
    int k = PrimitiveSort.lowerBound(ids, 0, ids.length, id);
    return k < ids.length && ids[k] == id ? k : -1;
  }

  /** The position of the request a request slice belongs to, or -1 for any other slice. */
  public int of(SliceRef ref) {
    Lane lane = model.lanes.get(ref.lane());
    if (lane.category(ref.slice()) != SliceCategory.REQUEST) {
      return -1;
    }
    return find(SliceDetails.requestId(lane.aux(ref.slice())));
  }

  /** Request {@code k}'s id. */
  public long id(int k) {
    return ids[k];
  }

  /** True if both sides of request {@code k} are in the trace. */
  public boolean joined(int k) {
    return serverLane[k] >= 0 && clientLane[k] >= 0;
  }

  /** The server's slice of request {@code k}, or {@code null}. */
  public SliceRef server(int k) {
    return serverLane[k] < 0 ? null : new SliceRef(serverLane[k], serverSlice[k]);
  }

  /** The client's slice of request {@code k}, or {@code null}. */
  public SliceRef client(int k) {
    return clientLane[k] < 0 ? null : new SliceRef(clientLane[k], clientSlice[k]);
  }

  /** The lane of the worker that served request {@code k}, or -1. */
  public int serverLane(int k) {
    return serverLane[k];
  }

  /** The label of request {@code k}: {@code sleep request}. */
  public String label(int k) {
    SliceRef s = serverLane[k] >= 0 ? server(k) : client(k);
    return SliceDetails.labelOf(model, model.lanes.get(s.lane()), s.slice());
  }

  /** When request {@code k} began: its send, or the server's begin if the client is unknown. */
  public long start(int k) {
    return clientLane[k] >= 0 ? model.lanes.get(clientLane[k]).start[clientSlice[k]]
        : model.lanes.get(serverLane[k]).start[serverSlice[k]];
  }

  /** When request {@code k} ended: its response's arrival, or the server's end. */
  public long end(int k) {
    return clientLane[k] >= 0 ? model.lanes.get(clientLane[k]).end(clientSlice[k])
        : model.lanes.get(serverLane[k]).end(serverSlice[k]);
  }

  /**
   * Request {@code k}'s latency: end to end (send to response) when the client side is known,
   * else the server's time on it.
   */
  public long latency(int k) {
    return latency[k];
  }

  /** The nearest-rank {@code p}-th percentile of all latencies, or -1 if there are none. */
  public long percentile(double p) {
    return RangeStats.percentile(sortedLatency, sortedLatency.length, p);
  }

  /** The latency heat strip of every worker, built on first use. Safe from any thread. */
  public synchronized LatencyStrip strip() {
    if (strip == null) {
      strip = LatencyStrip.of(model, this);
    }
    return strip;
  }

  /**
   * The requests at least {@code threshold} ns slow, by start: what the timeline highlights.
   * The last threshold's list is kept. Safe from any thread.
   */
  public synchronized int[] atLeast(long threshold) {
    if (threshold != stripThreshold) {
      int n = 0;
      for (int k = 0; k < ids.length; k++) {
        if (latency[k] >= threshold) {
          n++;
        }
      }
      int[] list = new int[n];
      long[] starts = new long[n];
      n = 0;
      for (int k = 0; k < ids.length; k++) {
        if (latency[k] >= threshold) {
          starts[n] = start(k);
          list[n++] = k;
        }
      }
      int[] perm = PrimitiveSort.order(starts, n);
      slowByStart = perm == null ? list : PrimitiveSort.apply(list, perm);
      stripThreshold = threshold;
    }
    return slowByStart;
  }

  /**
   * The {@code n} slowest requests that ended in {@code [from, to)}, slowest first (ties by
   * id).
   */
  public int[] slowest(long from, long to, int n) {
    // a small min-heap by latency of the n slowest so far
    int[] heap = new int[n];
    int size = 0;
    for (int k = 0; k < ids.length; k++) {
      long e = end(k);
      if (e < from || e >= to) {
        continue;
      }
      if (size < n) {
        heap[size] = k;
        siftUp(heap, size++);
      } else if (n > 0 && latency[k] > latency[heap[0]]) {
        heap[0] = k;
        siftDown(heap, size);
      }
    }
    Integer[] out = new Integer[size];
    for (int i = 0; i < size; i++) {
      out[i] = heap[i];
    }
    Arrays.sort(out, (a, b) -> latency[a] != latency[b] ? Long.compare(latency[b], latency[a])
        : Long.compare(ids[a], ids[b]));
    return Arrays.stream(out).mapToInt(Integer::intValue).toArray();
  }

  private void siftUp(int[] heap, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (latency[heap[parent]] <= latency[heap[i]]) {
        return;
      }
      swap(heap, i, parent);
      i = parent;
    }
  }

  private void siftDown(int[] heap, int size) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int smallest = i;
      if (l < size && latency[heap[l]] < latency[heap[smallest]]) {
        smallest = l;
      }
      if (l + 1 < size && latency[heap[l + 1]] < latency[heap[smallest]]) {
        smallest = l + 1;
      }
      if (smallest == i) {
        return;
      }
      swap(heap, i, smallest);
      i = smallest;
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
