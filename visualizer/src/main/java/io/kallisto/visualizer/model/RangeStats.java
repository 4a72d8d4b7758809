package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What each thread did in a time range, as the range selection shows it:
 * <ul>
 *   <li>busy %: time in loop work over time in poll and work, both clipped to the range (NaN for
 *       a thread that ran no loop there);</li>
 *   <li>callbacks that started in the range, by kind;</li>
 *   <li>p50 and p99 of those callbacks' durations (nearest rank: the smallest duration with at
 *       least that share of callbacks at or below it).</li>
 * </ul>
 */
public final class RangeStats {
  /** One thread's figures. */
  public record LaneStats(int lane, String name, double busyPercent, long[] callbacksByKind,
      int callbacks, long p50, long p99) {
    /** Callbacks of {@code c} that started in the range. */
    public long callbacks(SliceCategory c) {
      return callbacksByKind[c.ordinal()];
    }
  }

  private final long from;
  private final long to;
  private final List<LaneStats> lanes;

  private RangeStats(long from, long to, List<LaneStats> lanes) {
    this.from = from;
    this.to = to;
    this.lanes = lanes;
  }

  /** Computes the figures of every lane for {@code [from, to)}. */
  public static RangeStats of(TraceModel model, long from, long to) {
    List<LaneStats> out = new ArrayList<>();
    for (Lane lane : model.lanes()) {
      out.add(of(lane, from, to));
    }
    return new RangeStats(from, to, Collections.unmodifiableList(out));
  }

  private static LaneStats of(Lane lane, long from, long to) {
    long poll = 0;
    long work = 0;
    long[] byKind = new long[SliceCategory.count()];
    long[] durations = new long[64];
    int n = 0;
    for (int r = 0; r < lane.rowCount(); r++) {
      for (int k = lane.firstEndingAfter(r, from); k < lane.rowSize(r); k++) {
        int i = lane.sliceAt(r, k);
        long s = lane.start(i);
        if (s >= to) {
          break;
        }
        long overlap = Math.min(to, lane.end(i)) - Math.max(from, s);
        SliceCategory c = lane.category(i);
        if (c == SliceCategory.POLL || c == SliceCategory.POLL_WAIT) {
          poll += overlap;
        } else if (c == SliceCategory.WORK) {
          work += overlap;
        } else if (c.isCallback() && s >= from) {
          byKind[c.ordinal()]++;
          if (n == durations.length) {
            durations = Arrays.copyOf(durations, n * 2);
          }
          durations[n++] = lane.duration(i);
        }
      }
    }
    Arrays.sort(durations, 0, n);
    double busy = poll + work == 0 ? Double.NaN : 100.0 * work / (poll + work);
    return new LaneStats(lane.index(), lane.name(), busy, byKind, n,
        percentile(durations, n, 50), percentile(durations, n, 99));
  }

  /** Nearest rank: the value at rank ceil(p/100 x n), or -1 when {@code n} is 0. */
  public static long percentile(long[] sorted, int n, double p) {
    if (n == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
  }

  /** The range's start. */
  public long from() {
    return from;
  }

  /** The range's end. */
  public long to() {
    return to;
  }

  /** One entry per lane, in lane order. */
  public List<LaneStats> lanes() {
    return lanes;
  }
}
