package io.kallisto.visualizer;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.model.SliceCategory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Range statistics computed the slow, obvious way, straight from the trace file's records, to
 * check what the visualizer shows: busy = work / (poll + work) clipped to the range, callbacks
 * that started in it by kind, and nearest-rank p50 and p99 of their durations.
 */
public record DirectStats(double busyPercent, long[] callbacksByKind, long p50, long p99) {
  /** The figures for thread {@code threadId} over {@code [from, to)}. */
  public static DirectStats of(Path trace, int threadId, long from, long to) {
    long[] poll = {0};
    long[] work = {0};
    long[] kinds = new long[SliceCategory.count()];
    List<Long> durations = new ArrayList<>();
    try (TraceFile f = TraceFile.open(trace)) {
      f.forEach(e -> {
        if (e.thread() != threadId || !e.isSlice() || e.end() <= from || e.time() >= to) {
          return;
        }
        long overlap = Math.min(to, e.end()) - Math.max(from, e.time());
        if (e.type() == EventType.POLL) {
          poll[0] += overlap;
        } else if (e.type() == EventType.WORK) {
          work[0] += overlap;
        } else if (e.type() == EventType.CALLBACK && e.time() >= from) {
          kinds[SliceCategory.ofCallback(e.callbackKind()).ordinal()]++;
          durations.add(e.duration());
        }
      });
    }
    durations.sort(null);
    double busy = poll[0] + work[0] == 0 ? Double.NaN : 100.0 * work[0] / (poll[0] + work[0]);
    return new DirectStats(busy, kinds, rank(durations, 0.5), rank(durations, 0.99));
  }

  private static long rank(List<Long> sorted, double p) {
    return sorted.isEmpty() ? -1 : sorted.get((int) Math.ceil(p * sorted.size()) - 1);
  }
}
