package io.kallisto.visualizer.model;

import java.util.Arrays;
import java.util.List;

/**
 * The client side of one load generator thread's requests, as the loader reads it: each send
 * (a client {@code request-begin}) waits here by request id until its response (a client
 * {@code request-end}), and the two become one {@link SliceCategory#REQUEST} slice on a lane of
 * its own, "{@code <thread> · requests}", placed right after the thread's lane. A lane of its
 * own, because a client's requests overlap each other and its loop's slices: mixed into the
 * thread's rows they would push its poll and work slices out of place.
 *
 * <p>The kind of a request is known only to the server's record; until {@link Requests} joins
 * the two sides, a client slice has kind {@link #UNKNOWN_KIND}. Loader thread only.
 */
final class ClientRequests {
  /** The kind byte of a client slice not yet joined to its server side. */
  static final int UNKNOWN_KIND = 0xff;
  private static final long EMPTY = Long.MIN_VALUE;

  private int count;
  private Lane lane;
  // open addressing: request id -> send time, for requests sent and not yet answered
  private long[] keys = new long[0];
  private long[] sentAt = new long[0];
  private int open;

  /** First pass: one response received. */
  void count() {
    count++;
  }

  /** Adds the lane, if this thread received any response, after its thread's lane. */
  void addLane(List<Lane> lanes, int threadId, String threadName) {
    if (count == 0) {
      return;
    }
    lane = new Lane(lanes.size(), threadId, threadName + " · requests", count, 0, 0, 0);
    lane.clientRequests = true;
    lanes.add(lane);
    keys = new long[64];
    Arrays.fill(keys, EMPTY);
    sentAt = new long[64];
  }

  /** Second pass: request {@code id} was sent at {@code time}. */
  void sent(long id, long time) {
    if (lane == null) {
      return; // no response in the whole trace: nothing to draw
    }
    if (2 * (open + 1) > keys.length) {
      grow();
    }
    int k = slot(keys, id);
    if (keys[k] == EMPTY) {
      open++;
    }
    keys[k] = id;
    sentAt[k] = time;
  }

  /** Second pass: the response to {@code id} arrived at {@code time}. */
  void received(long id, long time) {
    int k = keys.length == 0 ? -1 : slot(keys, id);
    boolean known = k >= 0 && keys[k] == id;
    // A trace that starts mid-request has no send: a zero-length slice at the response.
    lane.addSlice(known ? sentAt[k] : time, time, SliceCategory.REQUEST, 0,
        SliceDetails.requestAux(UNKNOWN_KIND, id));
    if (known) {
      remove(k);
    }
  }

  /** Stacks the lane's slices into rows; the sends never answered are dropped. */
  void seal() {
    if (lane != null) {
      lane.seal();
      keys = null;
      sentAt = null;
    }
  }

  private static int slot(long[] keys, long id) {
    int mask = keys.length - 1;
    int k = (int) (mix(id) & mask);
    while (keys[k] != EMPTY && keys[k] != id) {
      k = (k + 1) & mask;
    }
    return k;
  }

  private static long mix(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  /** Backward-shift deletion keeps every probe chain unbroken without tombstones. */
  private void remove(int k) {
    int mask = keys.length - 1;
    int hole = k;
    int j = k;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == EMPTY) {
        break;
      }
      int home = (int) (mix(keys[j]) & mask);
      // move j into the hole if its home is not cyclically within (hole, j]
      boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!between) {
        keys[hole] = keys[j];
        sentAt[hole] = sentAt[j];
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    open--;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldSent = sentAt;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    sentAt = new long[keys.length];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int k = slot(keys, oldKeys[i]);
        keys[k] = oldKeys[i];
        sentAt[k] = oldSent[i];
      }
    }
  }
}
