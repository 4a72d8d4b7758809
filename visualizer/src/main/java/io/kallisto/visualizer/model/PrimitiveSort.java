package io.kallisto.visualizer.model;

/**
 * Sorting for columnar tables: the order of rows by a {@code long} key, without boxing, so that
 * millions of rows sort in a fraction of a second and every column can follow the same order.
 */
final class PrimitiveSort {
  private PrimitiveSort() {}

  /**
   * The row order that sorts {@code key[0..n)} ascending, ties in their original order, or
   * {@code null} when the keys are already sorted (the usual case: records come in time order).
   */
  static int[] order(long[] key, int n) {
    if (isSorted(key, n)) {
      return null;
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    int[] tmp = new int[n];
    // Bottom-up merge sort: stable, O(n log n), no recursion on long inputs.
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n - width; lo += 2 * width) {
        int mid = lo + width;
        int hi = Math.min(lo + 2 * width, n);
        if (key[perm[mid - 1]] <= key[perm[mid]]) {
          continue; // the two runs are already in order
        }
        System.arraycopy(perm, lo, tmp, lo, hi - lo);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
          if (j >= hi || (i < mid && key[tmp[i]] <= key[tmp[j]])) {
            perm[k] = tmp[i++];
          } else {
            perm[k] = tmp[j++];
          }
        }
      }
    }
    return perm;
  }

  static boolean isSorted(long[] key, int n) {
    for (int i = 1; i < n; i++) {
      if (key[i] < key[i - 1]) {
        return false;
      }
    }
    return true;
  }

  static long[] apply(long[] column, int[] perm) {
    long[] out = new long[column.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = column[perm[i]];
    }
    return out;
  }

  static int[] apply(int[] column, int[] perm) {
    int[] out = new int[column.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = column[perm[i]];
    }
    return out;
  }

  static char[] apply(char[] column, int[] perm) {
    char[] out = new char[column.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = column[perm[i]];
    }
    return out;
  }

  static byte[] apply(byte[] column, int[] perm) {
    byte[] out = new byte[column.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = column[perm[i]];
    }
    return out;
  }

  /**
   * Like {@link #lowerBound}, but searching forwards from {@code lo} in doubling steps first:
   * when the answer is near {@code lo}, as it is for the next pixel column, this touches a few
   * neighbouring entries instead of jumping across the whole array.
   */
  static int gallop(long[] sorted, int lo, int hi, long t) {
    if (lo >= hi || sorted[lo] >= t) {
      return lo;
    }
    int step = 1;
    int prev = lo;
    while (lo + step < hi && sorted[lo + step] < t) {
      prev = lo + step;
      step <<= 1;
    }
    return lowerBound(sorted, prev + 1, Math.min(hi, lo + step), t);
  }

  /** Every {@value #SAMPLE}th entry of {@code sorted[0..n)}, for {@link #sampledSearch}. */
  static long[] samples(long[] sorted, int n) {
    long[] s = new long[(n + SAMPLE - 1) / SAMPLE];
    for (int i = 0; i < s.length; i++) {
      s[i] = sorted[i * SAMPLE];
    }
    return s;
  }

  /** The stride of {@link #samples}. */
  static final int SAMPLE = 16;

  /**
   * The first index at or after {@code from} in {@code sorted[0..n)} whose value is at least
   * {@code t}: a galloping search over the small array of {@code samples} first, then a binary
   * search over at most {@value #SAMPLE} entries. Moving forwards a little at a time, as pixel
   * columns do, it reads a few neighbouring cache lines whatever the distance in entries.
   */
  static int sampledSearch(long[] sorted, long[] samples, int n, int from, long t) {
    if (from >= n || sorted[from] >= t) {
      return from;
    }
    int s = gallop(samples, from / SAMPLE, samples.length, t) - 1;
    int lo = Math.max(from, s * SAMPLE);
    int hi = Math.min(n, (s + 1) * SAMPLE + 1);
    return lowerBound(sorted, lo, hi, t);
  }

  /**
   * For drawing dense data: the first multiple of {@value #SAMPLE} after {@code from} whose entry
   * is at least {@code t} (or {@code n}), read from the samples alone; when that is within
   * 2 x {@value #SAMPLE} of {@code from}, the exact {@link #sampledSearch} instead. The coarse
   * answer is at most {@value #SAMPLE} - 1 entries past the exact one.
   */
  static int coarseSearch(long[] sorted, long[] samples, int n, int from, long t) {
    int s = gallop(samples, from / SAMPLE + 1, samples.length, t);
    int coarse = Math.min(n, s * SAMPLE);
    return coarse - from >= 2 * SAMPLE ? coarse : sampledSearch(sorted, samples, n, from, t);
  }

  /** Index of the first of {@code sorted[lo..hi)} that is at least {@code t}, or {@code hi}. */
  static int lowerBound(long[] sorted, int lo, int hi, long t) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
