package io.kallisto.event;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A nanosecond histogram that the loop thread records into without locks or allocation, and
 * that any thread can snapshot. Two significant digits (1 % resolution) from 1 ns to one hour
 * keep each histogram near 36 KB; longer values are clamped to an hour.
 */
final class LoopHistogram {
  static final long MAX_NANOS = 3_600_000_000_000L;
  private static final int DIGITS = 2;

  private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, MAX_NANOS, DIGITS);
  private final Histogram total = new Histogram(1, MAX_NANOS, DIGITS);
  private Histogram interval;

  /** Records one value. Loop thread only. */
  void record(long nanos) {
    recorder.recordValue(nanos < 1 ? 1 : Math.min(nanos, MAX_NANOS));
  }

  /** A copy of everything recorded so far. Safe from any thread. */
  synchronized Histogram snapshot() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    return total.copy();
  }

  static Histogram empty() {
    return new Histogram(1, MAX_NANOS, DIGITS);
  }
}
