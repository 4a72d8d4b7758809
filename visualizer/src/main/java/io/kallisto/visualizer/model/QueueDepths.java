package io.kallisto.visualizer.model;

import java.util.List;
import java.util.Map;

/**
 * Completes each loop's {@code queue depth} track so that it follows the queue at every
 * change. The trace has three sources:
 * <ul>
 *   <li>the loop's own samples, at the start and the end of each post batch;</li>
 *   <li>each {@code post()}'s record, on the posting thread, with the target's depth right after
 *       it ({@code a} = depth + 1, 0 when not recorded);</li>
 *   <li>each post (or slot update) callback the loop ran: its start is a task leaving the queue,
 *       one less than just before; the engine records nothing extra for it.</li>
 * </ul>
 * Merged in time order (an exact sample sets the value, a callback start lowers it by one, at
 * a tie the sample first), the track never holds a batch's size while its callbacks run.
 * Loader only.
 */
final class QueueDepths {
  private QueueDepths() {}

  /** Rebuilds the queue depth track of every loop with what the posts and callbacks add. */
  static void merge(List<Lane> lanes, Map<Integer, Integer> laneOfDispatcher) {
    int[] posted = new int[lanes.size()];
    for (Lane from : lanes) {
      Instants posts = from.posts;
      for (int k = 0; k < posts.size(); k++) {
        Integer to = posts.a(k) > 0 ? laneOfDispatcher.get(posts.id(k)) : null;
        if (to != null) {
          posted[to]++;
        }
      }
    }
    for (Lane target : lanes) {
      Series own = target.counters.get(TraceModelLoader.QUEUE_DEPTH);
      if (own == null && posted[target.index()] == 0) {
        continue; // not a loop, or one nothing was posted to
      }
      int ran = 0;
      for (int i = 0; i < target.slices; i++) {
        if (fromQueue(target, i)) {
          ran++;
        }
      }
      int samples = (own == null ? 0 : own.size()) + posted[target.index()];
      int n = samples + ran;
      long[] time = new long[n];
      long[] value = new long[n]; // an exact depth, or -1 for "one task left the queue"
      int m = 0;
      for (int i = 0; own != null && i < own.size(); i++) {
        time[m] = own.time(i);
        value[m++] = own.value(i);
      }
      for (Lane from : lanes) {
        Instants posts = from.posts;
        for (int k = 0; k < posts.size(); k++) {
          Integer to = posts.a(k) > 0 ? laneOfDispatcher.get(posts.id(k)) : null;
          if (to != null && to == target.index()) {
            time[m] = posts.time(k);
            value[m++] = posts.a(k) - 1;
          }
        }
      }
      for (int i = 0; i < target.slices; i++) {
        if (fromQueue(target, i)) {
          time[m] = target.start[i];
          value[m++] = -1;
        }
      }
      // stable: at a tie, the exact samples (listed first) come before the callback starts
      int[] perm = PrimitiveSort.order(time, n);
      long[] t = perm == null ? time : PrimitiveSort.apply(time, perm);
      long[] v = perm == null ? value : PrimitiveSort.apply(value, perm);
      long depth = 0;
      for (int i = 0; i < n; i++) {
        depth = v[i] >= 0 ? v[i] : Math.max(0, depth - 1);
        v[i] = depth;
      }
      target.counters.put(TraceModelLoader.QUEUE_DEPTH,
          new Series(TraceModelLoader.QUEUE_DEPTH, t, v, n, true));
    }
  }

  /** True for a callback the loop took from its post queue: a post or a slot update. */
  private static boolean fromQueue(Lane lane, int i) {
    return lane.cat[i] == SliceCategory.POST_CALLBACK.ordinal()
        || lane.cat[i] == SliceCategory.SLOT_CALLBACK.ordinal();
  }
}
