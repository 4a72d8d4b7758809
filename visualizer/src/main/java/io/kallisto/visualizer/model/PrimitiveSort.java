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
