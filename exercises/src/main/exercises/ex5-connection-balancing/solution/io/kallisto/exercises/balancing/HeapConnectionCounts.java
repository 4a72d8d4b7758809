package io.kallisto.exercises.balancing;

/**
 * {@link ConnectionCounts} as an indexed binary min-heap of workers, keyed by (open connections,
 * worker index): {@link #pick()} is the root, O(1); {@link #opened} and {@link #closed} move one
 * worker down or up, O(log n), so thousands of workers cost no more per connection than a few.
 *
 * <p>Three arrays, all of length {@code workers}: {@code heap[slot]} is the worker in a slot,
 * {@code slotOf[worker]} is where that worker sits (the index that makes the heap "indexed": a
 * worker is found without a search), and {@code count[worker]} its open connections. The worker
 * index in the key is the tie-break: equal counts order by index, so the root is the lowest-index
 * worker among the least loaded.
 *
 * <p>Not thread-safe: owned by the acceptor's loop (see {@link ConnectionCounts}).
 */
public final class HeapConnectionCounts implements ConnectionCounts {
  private final int[] heap;
  private final int[] slotOf;
  private final int[] count;

  /**
   * Counts for {@code workers} workers, every count 0.
   *
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public HeapConnectionCounts(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers=" + workers + "; use 1 or more");
    }
    heap = new int[workers];
    slotOf = new int[workers];
    count = new int[workers];
    // All counts 0: index order is already heap order.
    for (int w = 0; w < workers; w++) {
      heap[w] = w;
      slotOf[w] = w;
    }
  }

  // ConnectionCounts

  @Override
  public int workers() {
    return heap.length;
  }

  @Override
  public int pick() {
    return heap[0];
  }

  @Override
  public void opened(int worker) {
    check(worker);
    count[worker]++;
    siftDown(slotOf[worker]); // a larger key can only move away from the root
  }

  @Override
  public void closed(int worker) {
    check(worker);
    if (count[worker] == 0) {
      throw new IllegalStateException("closed(" + worker + "): worker " + worker
          + " has no open connection counted; a close must follow an opened()");
    }
    count[worker]--;
    siftUp(slotOf[worker]); // a smaller key can only move towards the root
  }

  @Override
  public int count(int worker) {
    check(worker);
    return count[worker];
  }

  // The heap

  /** Whether worker {@code a} belongs above {@code b}: fewer connections, then lower index. */
  private boolean before(int a, int b) {
    return count[a] < count[b] || count[a] == count[b] && a < b;
  }

  private void siftUp(int slot) {
    int w = heap[slot];
    while (slot > 0) {
      int parent = (slot - 1) >>> 1;
      int p = heap[parent];
      if (!before(w, p)) {
        break;
      }
      place(p, slot);
      slot = parent;
    }
    place(w, slot);
  }

  private void siftDown(int slot) {
    int w = heap[slot];
    int n = heap.length;
    while (true) {
      int child = 2 * slot + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && before(heap[child + 1], heap[child])) {
        child++;
      }
      int c = heap[child];
      if (!before(c, w)) {
        break;
      }
      place(c, slot);
      slot = child;
    }
    place(w, slot);
  }

  private void place(int worker, int slot) {
    heap[slot] = worker;
    slotOf[worker] = slot;
  }

  private void check(int worker) {
    if (worker < 0 || worker >= heap.length) {
      throw new IndexOutOfBoundsException("worker " + worker + "; there are workers 0 to "
          + (heap.length - 1));
    }
  }
}
