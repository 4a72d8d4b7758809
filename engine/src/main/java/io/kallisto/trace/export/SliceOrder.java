package io.kallisto.trace.export;

import io.kallisto.trace.TraceEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts one thread's slices in start order and keeps them properly nested, as the Chrome trace
 * format requires of complete ({@code "X"}) events on one thread: a slice that starts inside
 * another must end inside it.
 *
 * <p>Why a buffer is needed: a slice is recorded when it ends, so a loop iteration's callbacks
 * reach the file before the WORK slice that encloses them. Slices wait here until the next POLL
 * or WORK record closes the iteration, then leave sorted, parents first. A slice that would
 * break nesting (a user span that began in an earlier iteration, or one that outlives its
 * parent) goes to {@link Sink#unnested} instead, for the exporter to show elsewhere.
 *
 * <p>Memory is bounded: at most {@value #MAX_PENDING} slices wait; beyond that they are released
 * early, which can only turn late parents into unnested slices, never break nesting.
 */
final class SliceOrder {
  /** The most slices that wait for their iteration to close. */
  static final int MAX_PENDING = 1 << 16;

  /** Where ordered slices go. */
  interface Sink {
    /** A slice that nests: the next in start order on its thread. */
    void nested(ExportSlice slice);

    /** A slice that would break nesting if written as a complete event. */
    void unnested(ExportSlice slice);
  }

  /** Start first; at the same start, longer first so that the parent precedes its child. */
  private static final Comparator<ExportSlice> ORDER = Comparator.comparingLong(ExportSlice::start)
      .thenComparing(Comparator.comparingLong(ExportSlice::end).reversed())
      .thenComparingInt(ExportSlice::depth);

  private final List<ExportSlice> pending = new ArrayList<>();
  private long[] openEnds = new long[16];
  private int open;
  private long lastStart = Long.MIN_VALUE;

  /** Takes a slice record read from the file (copied); may release waiting slices to {@code sink}. */
  void add(TraceEvent slice, Sink sink) {
    add(ExportSlice.record(slice), sink);
  }

  /** Takes a slice; may release waiting slices to {@code sink}. */
  void add(ExportSlice slice, Sink sink) {
    pending.add(slice);
    if (slice.closesIteration() || pending.size() >= MAX_PENDING) {
      flush(sink);
    }
  }

  /** Releases every waiting slice, in order. */
  void flush(Sink sink) {
    pending.sort(ORDER);
    for (ExportSlice e : pending) {
      if (fits(e)) {
        sink.nested(e);
      } else {
        sink.unnested(e);
      }
    }
    pending.clear();
  }

  /** True if {@code e} nests among the slices released so far; then it becomes one of them. */
  private boolean fits(ExportSlice e) {
    long start = e.start();
    long end = e.end();
    if (start < lastStart) {
      return false; // it would have to contain, or cross, slices already written
    }
    while (open > 0 && openEnds[open - 1] <= start) {
      open--;
    }
    if (open > 0 && end > openEnds[open - 1]) {
      return false; // it would outlive its parent
    }
    if (open == openEnds.length) {
      openEnds = Arrays.copyOf(openEnds, open * 2);
    }
    openEnds[open++] = end;
    e.level = open;
    lastStart = start;
    return true;
  }
}
