package io.kallisto.sim;

import java.util.Arrays;

/**
 * A binary min-heap of timed entries, ordered by time and then by insertion: entries with equal
 * times come out in the order they went in, so nothing depends on identity hash codes or the
 * heap's shape. Each entry carries an object and a long. Single-threaded; allocates only to grow.
 */
final class EventHeap {
  private long[] times = new long[16];
  private long[] seqs = new long[16];
  private Object[] items = new Object[16];
  private long[] data = new long[16];
  private int size;
  private long nextSeq;

  /** Adds an entry. */
  void add(long time, Object item, long value) {
    if (size == times.length) {
      int n = size * 2;
      times = Arrays.copyOf(times, n);
      seqs = Arrays.copyOf(seqs, n);
      items = Arrays.copyOf(items, n);
      data = Arrays.copyOf(data, n);
    }
    int i = size++;
    long seq = nextSeq++;
    // Sift up.
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(time, seq, times[parent], seqs[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, time, seq, item, value);
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The earliest time, or {@code Long.MAX_VALUE} when empty. */
  long peekTime() {
    return size == 0 ? Long.MAX_VALUE : times[0];
  }

  /** The earliest entry's object. */
  Object peekItem() {
    return items[0];
  }

  /** The earliest entry's long. */
  long peekData() {
    return data[0];
  }

  /** Removes the earliest entry; read it with the peek methods first. */
  void remove() {
    int last = --size;
    long t = times[last];
    long s = seqs[last];
    Object o = items[last];
    long v = data[last];
    items[last] = null;
    if (last == 0) {
      return;
    }
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && before(times[right], seqs[right], times[child], seqs[child])) {
        child = right;
      }
      if (!before(times[child], seqs[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    set(i, t, s, o, v);
  }

  /** Drops every entry. */
  void clear() {
    Arrays.fill(items, 0, size, null);
    size = 0;
  }

  private static boolean before(long t1, long s1, long t2, long s2) {
    return t1 != t2 ? t1 < t2 : s1 < s2;
  }

  private void move(int from, int to) {
    times[to] = times[from];
    seqs[to] = seqs[from];
    items[to] = items[from];
    data[to] = data[from];
  }

  private void set(int i, long time, long seq, Object item, long value) {
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
    data[i] = value;
  }
}
