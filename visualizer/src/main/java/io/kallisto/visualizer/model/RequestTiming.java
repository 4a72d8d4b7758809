package io.kallisto.visualizer.model;

/**
 * Where one request's time went, from the client's send to the response's arrival:
 * <pre>
 *  send          worker began it        worker answered      response arrived
 *   |--- to worker ---|--- service ---|--- back ---|
 *   |  wire + kernel  |
 *   |  and queued     |
 * </pre>
 * The stretch before the worker began it splits in two. <em>Queued</em> is the time the worker
 * spent on other callbacks in it (the union of their intervals, so nested callbacks count once),
 * and on requests it served before this one in the same read callback: the worker was busy, so
 * this request waited behind earlier work. <em>To worker</em> is the rest: the bytes on the wire
 * and in the socket buffer, the wakeup out of {@code epoll_wait}, and the read callback up to
 * this request. The <em>blocker</em> is the piece of that other work this request waited behind
 * longest: a request if one held the callback most of that time (a 20 ms {@code sleep}), else
 * the callback.
 *
 * @param request the request's position in {@link Requests}
 * @param endToEnd send to response, ns; -1 if a side is missing
 * @param toWorker wire, kernel and read up to this request, ns; -1 if unknown
 * @param queued time the worker spent on other work after the send, ns; -1 if unknown
 * @param service the worker's time on this request, ns; -1 if the server side is missing
 * @param back the worker's answer to the response's arrival, ns; -1 if unknown
 * @param blocker the slice it waited behind longest, or {@code null}
 * @param blockedFor how long it waited behind the blocker, ns (0 if none)
 */
public record RequestTiming(int request, long endToEnd, long toWorker, long queued, long service,
    long back, SliceRef blocker, long blockedFor) {
  /** More slices than this in one wait are not looked at: a wait that long is no real wait. */
  private static final int MAX_CANDIDATES = 1 << 16;

  /** The timing of request {@code k} of {@code model.requests()}. */
  public static RequestTiming of(TraceModel model, int k) {
    Requests requests = model.requests();
    SliceRef server = requests.server(k);
    SliceRef client = requests.client(k);
    if (server == null) {
      return new RequestTiming(k, -1, -1, -1, -1, -1, null, 0);
    }
    Lane worker = model.lanes.get(server.lane());
    long begin = worker.start(server.slice());
    long end = worker.end(server.slice());
    if (client == null) {
      return new RequestTiming(k, -1, -1, -1, end - begin, -1, null, 0);
    }
    Lane load = model.lanes.get(client.lane());
    long sent = load.start(client.slice());
    long received = load.end(client.slice());
    Wait wait = Wait.of(worker, server.slice(), sent, begin);
    long before = Math.max(0, begin - sent);
    return new RequestTiming(k, received - sent, before - wait.busy, wait.busy, end - begin,
        Math.max(0, received - end), wait.blocker < 0 ? null
            : new SliceRef(worker.index(), wait.blocker), wait.blockedFor);
  }

  /** The other work a worker did in {@code [from, to)} before beginning slice {@code self}. */
  private static final class Wait {
    long busy;
    int blocker = -1;
    long blockedFor;

    static Wait of(Lane lane, int self, long from, long to) {
      Wait w = new Wait();
      if (to <= from) {
        return w;
      }
      long[] s = new long[16];
      long[] e = new long[16];
      int[] slice = new int[16];
      int n = 0;
      for (int r = 0; r < lane.rowCount(); r++) {
        for (int p = lane.firstEndingAfter(r, from); p < lane.rowSize(r); p++) {
          int i = lane.sliceAt(r, p);
          if (lane.start(i) >= to || n >= MAX_CANDIDATES) {
            break;
          }
          SliceCategory c = lane.category(i);
          // Work that ends by the time this request begins; what contains its begin (the read
          // callback it arrived in) is not something it waited behind.
          if (i == self || lane.end(i) > to || !(c.isCallback() || c == SliceCategory.REQUEST)) {
            continue;
          }
          if (n == s.length) {
            s = java.util.Arrays.copyOf(s, n * 2);
            e = java.util.Arrays.copyOf(e, n * 2);
            slice = java.util.Arrays.copyOf(slice, n * 2);
          }
          s[n] = Math.max(from, lane.start(i));
          e[n] = lane.end(i);
          slice[n++] = i;
        }
      }
      w.busy = union(s, e, n);
      w.pickBlocker(lane, s, e, slice, n);
      return w;
    }

    /** The total length of the union of intervals {@code [s, e)}. */
    private static long union(long[] s, long[] e, int n) {
      int[] perm = PrimitiveSort.order(s, n);
      long total = 0;
      long coveredTo = Long.MIN_VALUE;
      for (int q = 0; q < n; q++) {
        int j = perm == null ? q : perm[q];
        long a = Math.max(s[j], coveredTo);
        if (e[j] > a) {
          total += e[j] - a;
        }
        coveredTo = Math.max(coveredTo, e[j]);
      }
      return total;
    }

    /**
     * The callback waited behind longest; then, if one request inside it took at least half of
     * that wait, that request (it is what held the callback: a sleep request in a read).
     */
    private void pickBlocker(Lane lane, long[] s, long[] e, int[] slice, int n) {
      int best = -1;
      for (int j = 0; j < n; j++) {
        if (lane.category(slice[j]).isCallback() && (best < 0 || e[j] - s[j] > e[best] - s[best])) {
          best = j;
        }
      }
      int request = -1;
      for (int j = 0; j < n; j++) {
        if (lane.category(slice[j]) != SliceCategory.REQUEST) {
          continue;
        }
        boolean inside = best < 0 || (lane.start(slice[j]) >= lane.start(slice[best])
            && lane.end(slice[j]) <= lane.end(slice[best]));
        if (inside && (request < 0 || e[j] - s[j] > e[request] - s[request])) {
          request = j;
        }
      }
      if (request >= 0 && (best < 0 || 2 * (e[request] - s[request]) >= e[best] - s[best])) {
        best = request;
      }
      if (best >= 0 && e[best] > s[best]) {
        blocker = slice[best];
        blockedFor = e[best] - s[best];
      }
    }
  }

  /**
   * How the blocker is named in the details: {@code waited 18.2 ms behind sleep request #412 on
   * worker-0}; {@code null} if the request waited behind nothing.
   */
  public String blockerText(TraceModel model) {
    if (blocker == null) {
      return null;
    }
    return "waited " + TimeFormat.duration(blockedFor) + " behind "
        + sliceName(model, blocker) + " on " + model.lanes.get(blocker.lane()).name();
  }

  /** A slice as a sentence names it: {@code sleep request #412}, or its label. */
  static String sliceName(TraceModel model, SliceRef ref) {
    Lane lane = model.lanes.get(ref.lane());
    String label = SliceDetails.labelOf(model, lane, ref.slice());
    if (lane.category(ref.slice()) == SliceCategory.REQUEST) {
      return label + " #" + SliceDetails.requestId(lane.aux(ref.slice()));
    }
    return label;
  }
}
