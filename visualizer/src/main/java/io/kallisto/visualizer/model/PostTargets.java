package io.kallisto.visualizer.model;

/**
 * Each lane's posts split by the lane they went to, each list sorted by time: how many posts
 * went from one thread to another in any time range costs two binary searches, so a zoomed-out
 * view can draw a bundle of arrows as its count without visiting the posts.
 *
 * <p>Four bytes per post. Immutable once built; any thread may read it.
 */
public final class PostTargets {
  /** [from lane][to lane]: indices into the sender's {@link Lane#posts()}, by time. */
  private final int[][][] posts;

  PostTargets(TraceModel model) {
    int lanes = model.lanes().size();
    posts = new int[lanes][][];
    int[] counts = new int[lanes];
    for (Lane from : model.lanes()) {
      Instants sent = from.posts();
      java.util.Arrays.fill(counts, 0);
      for (int k = 0; k < sent.size(); k++) {
        int to = model.laneOfDispatcher(sent.id(k));
        if (to >= 0) {
          counts[to]++;
        }
      }
      int[][] byTarget = new int[lanes][];
      for (int to = 0; to < lanes; to++) {
        byTarget[to] = new int[counts[to]];
      }
      java.util.Arrays.fill(counts, 0);
      for (int k = 0; k < sent.size(); k++) {
        int to = model.laneOfDispatcher(sent.id(k));
        if (to >= 0) {
          byTarget[to][counts[to]++] = k; // posts are sorted by time, so each list is too
        }
      }
      posts[from.index()] = byTarget;
    }
  }

  /** The number of posts lane {@code from} sent to lane {@code to}. */
  public int count(int from, int to) {
    return posts[from][to].length;
  }

  /** The {@code k}-th of them, by time: an index into {@code from}'s {@link Lane#posts()}. */
  public int post(int from, int to, int k) {
    return posts[from][to][k];
  }

  /**
   * The position among the posts from {@code from} to {@code to} of the first sent at or after
   * {@code t} ({@code count(from, to)} if none).
   */
  public int firstAtOrAfter(TraceModel model, int from, int to, long t) {
    int[] list = posts[from][to];
    Instants sent = model.lanes().get(from).posts();
    int lo = 0;
    int hi = list.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sent.time(list[mid]) < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
