package io.kallisto.visualizer.model;

/**
 * Instant records of one kind on one lane (posts, marks, slot updates), as columns sorted by
 * time: one array per field, not one object per event.
 */
public final class Instants {
  private long[] time;
  private long[] a;
  private long[] b;
  private int[] id;
  private byte[] kind;
  private int size;
  private long[] samples = new long[0];

  Instants(int capacity) {
    time = new long[capacity];
    a = new long[capacity];
    b = new long[capacity];
    id = new int[capacity];
    kind = new byte[capacity];
  }

  void add(long t, int k, int i, long fa, long fb) {
    time[size] = t;
    kind[size] = (byte) k;
    id[size] = i;
    a[size] = fa;
    b[size] = fb;
    size++;
  }

  /** Sorts the rows by time, ties in recording order. Called once, after the last add. */
  void seal() {
    int[] perm = PrimitiveSort.order(time, size);
    if (perm != null) {
      time = PrimitiveSort.apply(time, perm);
      a = PrimitiveSort.apply(a, perm);
      b = PrimitiveSort.apply(b, perm);
      id = PrimitiveSort.apply(id, perm);
      kind = PrimitiveSort.apply(kind, perm);
    }
    samples = PrimitiveSort.samples(time, size);
  }

  /** Rows. */
  public int size() {
    return size;
  }

  /** Row {@code i}'s time in trace nanoseconds. */
  public long time(int i) {
    return time[i];
  }

  /** Row {@code i}'s record field a. */
  public long a(int i) {
    return a[i];
  }

  /** Row {@code i}'s record field b: the flow id of posts and slot records. */
  public long b(int i) {
    return b[i];
  }

  /** Row {@code i}'s id field: a post's target dispatcher, a mark's label, a slot index. */
  public int id(int i) {
    return id[i];
  }

  /** Row {@code i}'s kind byte: 1 for a post that wrote a wakeup. */
  public int kind(int i) {
    return kind[i];
  }

  /**
   * For drawing dense data: like {@link #firstAtOrAfter(long, int)}, but when many entries lie
   * between, up to 15 entries past the exact answer, found without reading the entries.
   */
  public int coarseAtOrAfter(long t, int from) {
    return PrimitiveSort.coarseSearch(time, samples, size, Math.max(0, from), t);
  }

  /** The first at or after {@code t}, searching forwards from {@code from} (a hint). */
  public int firstAtOrAfter(long t, int from) {
    return PrimitiveSort.sampledSearch(time, samples, size, Math.max(0, from), t);
  }

  /** The first row at or after {@code t}, or {@link #size()}. */
  public int firstAtOrAfter(long t) {
    return PrimitiveSort.lowerBound(time, 0, size, t);
  }
}
