package io.kallisto.visualizer.model;

/**
 * The latency heat strip of each worker: for any stretch of time, the worst latency of the
 * requests sent to that worker in it. Zoomed out, where a 20 ms sleep is a pixel wide, this is
 * what still shows head-of-line blocking: every request sent to the worker while the sleep held
 * it is slow, so the worker's strip turns hot for that stretch, while the other worker's stays
 * cool.
 *
 * <p>A request is placed at its send (the server's begin when no client side is known), on the
 * lane of the worker that served it. Per lane the requests are sorted by that time, with the
 * maximum of every {@value #BLOCK} in a second array, so a query reads at most two partial
 * blocks and one block maximum per block: a pixel column costs little however many requests
 * it holds. Immutable; any thread may read it.
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
    long[][] time = new long[lanes][];
    long[][] latency = new long[lanes][];
    for (int l = 0; l < lanes; l++) {
      time[l] = new long[count[l]];
      latency[l] = new long[count[l]];
    }
    int[] fill = new int[lanes];
    for (int k = 0; k < r.size(); k++) {
      int l = r.serverLane(k);
      if (l >= 0) {
        time[l][fill[l]] = r.start(k);
        latency[l][fill[l]++] = r.latency(k);
      }
    }
    long[][] blockMax = new long[lanes][];
    for (int l = 0; l < lanes; l++) {
      int[] perm = PrimitiveSort.order(time[l], count[l]);
      if (perm != null) {
        time[l] = PrimitiveSort.apply(time[l], perm);
        latency[l] = PrimitiveSort.apply(latency[l], perm);
      }
      int n = count[l];
      blockMax[l] = new long[(n + BLOCK - 1) / BLOCK];
      java.util.Arrays.fill(blockMax[l], -1);
      for (int i = 0; i < n; i++) {
        blockMax[l][i / BLOCK] = Math.max(blockMax[l][i / BLOCK], latency[l][i]);
      }
    }
    return new LatencyStrip(time, latency, blockMax);
  }

  /** True if lane {@code lane} served requests: it has a strip. */
  public boolean has(int lane) {
    return time[lane].length > 0;
  }

  /**
   * The worst latency of the requests lane {@code lane} served that were sent in
   * {@code [from, to)}, or -1 if there are none. Allocates nothing.
   */
  public long max(int lane, long from, long to) {
    long[] t = time[lane];
    int lo = PrimitiveSort.lowerBound(t, 0, t.length, from);
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
