package io.kallisto.visualizer.model;

/**
 * A counter over time (queue depth, open connections): samples sorted by time, each value
 * holding until the next sample. A series is either <em>sampled</em> (the thread recorded the
 * value now and then, so between samples the true value may have moved) or <em>exact</em> (a
 * running count of events, such as connection opens and closes, which changes only at a
 * sample); readouts say how old a sampled value is. Keeps the maximum of every block of {@value #BLOCK} samples so
 * that the maximum over any range costs O(BLOCK + range / BLOCK) however many samples there
 * are.
 */
public final class Series {
  static final int BLOCK = 64;

  private final String name;
  private final long[] time;
  private final long[] value;
  private final long[] blockMax;
  private final long[] samples;
  private final long max;
  private final boolean sampled;

  /**
   * Takes {@code time[0..n)} and {@code value[0..n)} (sorted here if they are not);
   * {@code sampled} as the class comment says.
   */
  Series(String name, long[] time, long[] value, int n, boolean sampled) {
    this.name = name;
    this.sampled = sampled;
    int[] perm = PrimitiveSort.order(time, n);
    long[] t = perm == null ? time : PrimitiveSort.apply(time, perm);
    long[] v = perm == null ? value : PrimitiveSort.apply(value, perm);
    this.time = n == t.length ? t : java.util.Arrays.copyOf(t, n);
    this.value = n == v.length ? v : java.util.Arrays.copyOf(v, n);
    samples = PrimitiveSort.samples(this.time, n);
    blockMax = new long[(n + BLOCK - 1) / BLOCK];
    long m = 0;
    for (int blk = 0; blk < blockMax.length; blk++) {
      long bm = Long.MIN_VALUE;
      for (int i = blk * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
        bm = Math.max(bm, this.value[i]);
      }
      blockMax[blk] = bm;
      m = Math.max(m, bm);
    }
    max = m;
  }

  /** The counter's name, e.g. {@code queue depth}. */
  public String name() {
    return name;
  }

  /**
   * True if the value was recorded now and then (a held value may be stale), false if the
   * series changes only at its samples (a running count of events).
   */
  public boolean sampled() {
    return sampled;
  }

  /** Samples. */
  public int size() {
    return time.length;
  }

  /** Sample {@code i}'s time. */
  public long time(int i) {
    return time[i];
  }

  /** Sample {@code i}'s value. */
  public long value(int i) {
    return value[i];
  }

  /** The largest value (at least 0). */
  public long max() {
    return max;
  }

  /**
   * For drawing dense data: like {@link #firstAtOrAfter(long, int)}, but when many entries lie
   * between, up to 15 entries past the exact answer, found without reading the entries.
   */
  public int coarseAtOrAfter(long t, int from) {
    return PrimitiveSort.coarseSearch(time, samples, time.length, Math.max(0, from), t);
  }

  /** The first at or after {@code t}, searching forwards from {@code from} (a hint). */
  public int firstAtOrAfter(long t, int from) {
    return PrimitiveSort.sampledSearch(time, samples, time.length, Math.max(0, from), t);
  }

  /** The first sample at or after {@code t}, or {@link #size()}. */
  public int firstAtOrAfter(long t) {
    return PrimitiveSort.lowerBound(time, 0, time.length, t);
  }

  /** The value holding at {@code t}: the last sample at or before it, or -1 before the first. */
  public long valueAt(long t) {
    int i = indexAt(t);
    return i < 0 ? -1 : value[i];
  }

  /** The sample holding at {@code t}: the last at or before it, or -1 before the first. */
  public int indexAt(long t) {
    return PrimitiveSort.lowerBound(time, 0, time.length, t + 1) - 1;
  }

  /**
   * For drawing: the largest value of samples {@code [from, to)}, exact for short ranges; for
   * ranges of many blocks, the largest of the blocks that touch the range, which may include a
   * few dozen samples on either side but reads only the block maxima.
   */
  public long envelope(int from, int to) {
    if (to - from < 2 * BLOCK) {
      return max(from, to);
    }
    long m = Long.MIN_VALUE;
    for (int b = from / BLOCK, last = (to - 1) / BLOCK; b <= last; b++) {
      m = Math.max(m, blockMax[b]);
    }
    return m;
  }

  /** The largest value of samples {@code [from, to)}, or {@code Long.MIN_VALUE} if empty. */
  public long max(int from, int to) {
    long m = Long.MIN_VALUE;
    int i = from;
    while (i < to && i % BLOCK != 0) {
      m = Math.max(m, value[i++]);
    }
    while (i + BLOCK <= to) {
      m = Math.max(m, blockMax[i / BLOCK]);
      i += BLOCK;
    }
    while (i < to) {
      m = Math.max(m, value[i++]);
    }
    return m;
  }
}
