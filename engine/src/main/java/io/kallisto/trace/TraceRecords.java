package io.kallisto.trace;

/** Facts about records that the writer and the reader both need. */
final class TraceRecords {
  private TraceRecords() {}

  /** True for types whose {@code a} field is a duration: they are slices, not instants. */
  static boolean isSlice(int type) {
    return type == EventType.POLL.code() || type == EventType.WORK.code()
        || type == EventType.CALLBACK.code() || type == EventType.SPAN.code();
  }

  /** The last instant a record covers: its end for a slice, its time otherwise. */
  static long end(long header, long time, long a) {
    if (!isSlice(TraceRecordDescriptor.type(header)) || a <= 0) {
      return time;
    }
    long end = time + a;
    return end < time ? Long.MAX_VALUE : end; // saturate: a forged duration must not wrap
  }
}
