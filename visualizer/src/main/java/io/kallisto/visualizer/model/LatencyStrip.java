package io.kallisto.visualizer.model;

/**
 * The latency heat strip of each worker: for any stretch of time, the worst end-to-end latency
 * among the requests in flight to that worker in it (sent, not yet answered). Zoomed out, where
 * a 20 ms sleep is a pixel wide, this is what still shows head-of-line blocking: every request
 * sent to the worker while the sleep held it is slow and in flight for the whole sleep, so the
 * worker's strip turns hot for that stretch, while the other worker's stays cool.
 *
 * <p>A request is in flight from its send to its response (from the server's begin to its end
 * when no client side is known), on the lane of the worker that served it. Per lane, the upper
 * envelope of those intervals is built once as a step function: contiguous segments, each with
 * the worst latency in flight during it (-1 for none). A stretch of time meets a contiguous run
 * of segments, and the maximum of every {@value #BLOCK} segments is kept, so a query reads at
 * most two partial blocks and one maximum per block: a pixel column costs little however many
 * requests it holds. Immutable; any thread may read it.
 */
public final class LatencyStrip {
  static final int BLOCK = 64;

  private final long[][] time;
  private final long[][] latency;
  private final long[][] blockMax;

  private LatencyStrip(long[][] time, long[][] latency, long[][] blockMax) {
    this.time = time;
    this.latency = latency;
    this.blockMax = blockMax;
  }

  static LatencyStrip of(TraceModel model, Requests r) {
    int lanes = model.lanes.size();
    int[] count = new int[lanes];
    for (int k = 0; k < r.size(); k++) {
      if (r.serverLane(k) >= 0) {
        count[r.serverLane(k)]++;
      }
    }
    int[][] byLane = new int[lanes][];
    for (int l = 0; l < lanes; l++) {
      byLane[l] = new int[count[l]];
    }
    int[] fill = new int[lanes];
    for (int k = 0; k < r.size(); k++) {
      int l = r.serverLane(k);
      if (l >= 0) {
        byLane[l][fill[l]++] = k;
      }
    }
    long[][] time = new long[lanes][];
    long[][] latency = new long[lanes][];
    long[][] blockMax = new long[lanes][];
    java.util.List<Runnable> pieces = new java.util.ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      int l = lane;
      pieces.add(() -> { // each worker's strip on its own, on a few threads (Workers)
        envelope(r, byLane[l], time, latency, l);
        int n = time[l].length;
        blockMax[l] = new long[(n + BLOCK - 1) / BLOCK];
        java.util.Arrays.fill(blockMax[l], -1);
        for (int i = 0; i < n; i++) {
          blockMax[l][i / BLOCK] = Math.max(blockMax[l][i / BLOCK], latency[l][i]);
        }
      });
    }
    Workers.run(Workers.count(), pieces);
    return new LatencyStrip(time, latency, blockMax);
  }

  /**
   * The step function of the worst latency in flight: a sweep over the requests by send, with
   * the ones in flight in a heap by latency (answered ones leave it lazily, once on top).
   * The loader builds it, off the FX thread: sorting and sweeping every request is too much
   * work for a frame.
   */
  private static void envelope(Requests r, int[] ks, long[][] time, long[][] latency, int l) {
    int n = ks.length;
    long[] starts = new long[n];
    for (int i = 0; i < n; i++) {
      starts[i] = r.start(ks[i]);
    }
    int[] perm = PrimitiveSort.order(starts, n);
    int[] order = perm == null ? ks : PrimitiveSort.apply(ks, perm);
    long[] ends = new long[n];
    for (int i = 0; i < n; i++) {
      ends[i] = r.end(ks[i]);
    }
    java.util.Arrays.sort(ends);
    // a binary max-heap of request positions by latency, in a primitive array
    int[] heap = new int[n];
    int size = 0;
    long[] t = new long[2 * n + 1];
    long[] v = new long[2 * n + 1];
    int segments = 0;
    int nextStart = 0;
    int nextEnd = 0;
    while (nextStart < n || nextEnd < n) {
      // the next boundary: a send or a response, whichever comes first
      long at = nextStart < n ? Math.min(r.start(order[nextStart]),
          nextEnd < n ? ends[nextEnd] : Long.MAX_VALUE) : ends[nextEnd];
      while (nextStart < n && r.start(order[nextStart]) == at) {
        heap[size] = order[nextStart++];
        siftUp(r, heap, size++);
      }
      while (nextEnd < n && ends[nextEnd] == at) {
        nextEnd++;
      }
      while (size > 0 && r.end(heap[0]) <= at) {
        heap[0] = heap[--size];
        siftDown(r, heap, size);
      }
      long worst = size == 0 ? -1 : r.latency(heap[0]);
      if (segments == 0 || v[segments - 1] != worst) {
        t[segments] = at;
        v[segments++] = worst;
      }
    }
    time[l] = java.util.Arrays.copyOf(t, segments);
    latency[l] = java.util.Arrays.copyOf(v, segments);
  }

  private static void siftUp(Requests r, int[] heap, int i) {
    while (i > 0 && r.latency(heap[(i - 1) / 2]) < r.latency(heap[i])) {
      int parent = (i - 1) / 2;
      int x = heap[i];
      heap[i] = heap[parent];
      heap[parent] = x;
      i = parent;
    }
  }

  private static void siftDown(Requests r, int[] heap, int size) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int top = i;
      if (l < size && r.latency(heap[l]) > r.latency(heap[top])) {
        top = l;
      }
      if (l + 1 < size && r.latency(heap[l + 1]) > r.latency(heap[top])) {
        top = l + 1;
      }
      if (top == i) {
        return;
      }
      int x = heap[i];
      heap[i] = heap[top];
      heap[top] = x;
      i = top;
    }
  }

  /** True if lane {@code lane} served requests: it has a strip. */
  public boolean has(int lane) {
    return time[lane].length > 0;
  }

  /**
   * The worst latency of the requests in flight to lane {@code lane}'s worker at some time in
   * {@code [from, to)}, or -1 if there are none. Allocates nothing.
   */
  public long max(int lane, long from, long to) {
    long[] t = time[lane];
    // the segment holding from, through the last one beginning before to
    int lo = Math.max(0, PrimitiveSort.lowerBound(t, 0, t.length, from + 1) - 1);
    int hi = PrimitiveSort.lowerBound(t, lo, t.length, to);
    long[] v = latency[lane];
    long best = -1;
    int i = lo;
    for (; i < hi && i % BLOCK != 0; i++) {
      best = Math.max(best, v[i]);
    }
    for (; i + BLOCK <= hi; i += BLOCK) {
      best = Math.max(best, blockMax[lane][i / BLOCK]);
    }
    for (; i < hi; i++) {
      best = Math.max(best, v[i]);
    }
    return best;
  }

  /**
   * Where {@code latency} lies between {@code cool} and {@code hot}, from 0 to 1, on a
   * logarithmic scale (latencies spread over orders of magnitude); the renderer's colour ramp.
   */
  public static double heat(long latency, long cool, long hot) {
    if (latency <= cool || hot <= cool) {
      return latency >= hot && hot > 0 ? 1 : 0;
    }
    if (latency >= hot) {
      return 1;
    }
    return Math.log((double) latency / cool) / Math.log((double) hot / cool);
  }
}
