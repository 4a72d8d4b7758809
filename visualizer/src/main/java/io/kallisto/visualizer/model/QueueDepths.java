package io.kallisto.visualizer.model;

import java.util.List;
import java.util.Map;

/**
 * Completes each loop's {@code queue depth} track with the depths its posters recorded. The loop
 * records its depth at the start and end of each post batch, on its own thread; each
 * {@code post()} records the target's depth right after it, on the posting thread, in the
 * post record ({@code a} = depth + 1, 0 when not recorded). Merged, the track changes whenever
 * the queue does, instead of holding a batch's size until the next batch. Loader only.
 */
final class QueueDepths {
  private QueueDepths() {}

  /** Adds the posts' depths to the track of the lane each post went to. */
  static void merge(List<Lane> lanes, Map<Integer, Integer> laneOfDispatcher) {
    int[] count = new int[lanes.size()];
    for (Lane from : lanes) {
      Instants posts = from.posts;
      for (int k = 0; k < posts.size(); k++) {
        Integer to = posts.a(k) > 0 ? laneOfDispatcher.get(posts.id(k)) : null;
        if (to != null) {
          count[to]++;
        }
      }
    }
    for (Lane target : lanes) {
      int extra = count[target.index()];
      if (extra == 0) {
        continue;
      }
      Series own = target.counters.get(TraceModelLoader.QUEUE_DEPTH);
      int n = own == null ? 0 : own.size();
      long[] time = new long[n + extra];
      long[] value = new long[n + extra];
      for (int i = 0; i < n; i++) {
        time[i] = own.time(i);
        value[i] = own.value(i);
      }
      for (Lane from : lanes) {
        Instants posts = from.posts;
        for (int k = 0; k < posts.size(); k++) {
          Integer to = posts.a(k) > 0 ? laneOfDispatcher.get(posts.id(k)) : null;
          if (to != null && to == target.index()) {
            time[n] = posts.time(k);
            value[n++] = posts.a(k) - 1;
          }
        }
      }
      target.counters.put(TraceModelLoader.QUEUE_DEPTH,
          new Series(TraceModelLoader.QUEUE_DEPTH, time, value, n, true));
    }
  }
}
