package io.kallisto.visualizer.model;

import java.util.Arrays;

/**
 * A map from {@code long} keys to non-negative {@code int} values, open addressing with linear
 * probing, sized once for the keys it will hold: a million request ids cost two arrays, not a
 * million boxed entries. Any key but {@link Long#MIN_VALUE}. Not thread-safe; immutable once
 * filled, it may then be read from any thread.
 */
final class LongIntMap {
  private static final long EMPTY = Long.MIN_VALUE;

  private final long[] keys;
  private final int[] values;
  private final int mask;

  /** A map for up to {@code capacity} keys (at most half full, so probes stay short). */
  LongIntMap(int capacity) {
    int size = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) * 2;
    keys = new long[size];
    Arrays.fill(keys, EMPTY);
    values = new int[size];
    mask = size - 1;
  }

  /** The value of {@code key}, or -1. */
  int get(long key) {
    int k = slot(key);
    return keys[k] == key ? values[k] : -1;
  }

  /** Maps {@code key} to {@code value} unless it is mapped; returns the value it now has. */
  int putIfAbsent(long key, int value) {
    int k = slot(key);
    if (keys[k] == key) {
      return values[k];
    }
    keys[k] = key;
    values[k] = value;
    return value;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    int k = (int) ((h ^ (h >>> 29)) & mask);
    while (keys[k] != EMPTY && keys[k] != key) {
      k = (k + 1) & mask;
    }
    return k;
  }
}
