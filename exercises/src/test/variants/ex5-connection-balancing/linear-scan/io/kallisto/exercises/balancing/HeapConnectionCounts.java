package io.kallisto.exercises.balancing;

/**
 * BUG (linear-scan): correct, but pick() scans every worker: O(n) per connection.
 *
 * <p>{@link ConnectionCounts} as one array of counts: pick() scans it for the fewest, lowest index
 * first. Simple and correct, and O(n) per pick.
 */
public final class HeapConnectionCounts implements ConnectionCounts {
  private final int[] count;

  /** Counts for {@code workers} workers, every count 0. */
  public HeapConnectionCounts(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers=" + workers + "; use 1 or more");
    }
    count = new int[workers];
  }

  @Override
  public int workers() {
    return count.length;
  }

  @Override
  public int pick() {
    int best = 0;
    for (int w = 1; w < count.length; w++) {
      if (count[w] < count[best]) {
        best = w;
      }
    }
    return best;
  }

  @Override
  public void opened(int worker) {
    check(worker);
    count[worker]++;
  }

  @Override
  public void closed(int worker) {
    check(worker);
    if (count[worker] == 0) {
      throw new IllegalStateException("closed(" + worker + "): no open connection counted");
    }
    count[worker]--;
  }

  @Override
  public int count(int worker) {
    check(worker);
    return count[worker];
  }

  private void check(int worker) {
    if (worker < 0 || worker >= count.length) {
      throw new IndexOutOfBoundsException("worker " + worker + "; there are workers 0 to "
          + (count.length - 1));
    }
  }
}
