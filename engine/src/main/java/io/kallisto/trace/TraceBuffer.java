package io.kallisto.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A preallocated run of records that one thread appends to and the writer thread drains. The
 * owner writes a record's four longs, then publishes the new count with a release store; the
 * writer reads the count with an acquire load and never touches records beyond it. So neither
 * side locks, and a record is either wholly visible or not at all.
 */
final class TraceBuffer {
  static final int RECORDS = 2048;
  private static final VarHandle COMMITTED;

  static {
    try {
      COMMITTED = MethodHandles.lookup().findVarHandle(TraceBuffer.class, "committed", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long[] data = new long[RECORDS * TraceRecordDescriptor.LONGS];
  /** Records written; owner only. */
  int written;
  @SuppressWarnings("unused") // through COMMITTED
  private int committed;
  /** Records already in the file; writer only. */
  int flushed;

  /** Appends one record. Owner only; the caller has checked {@link #isFull()}. */
  void append(long header, long time, long a, long b) {
    int w = written;
    int i = w * TraceRecordDescriptor.LONGS;
    long[] d = data;
    d[i] = header;
    d[i + 1] = time;
    d[i + 2] = a;
    d[i + 3] = b;
    written = w + 1;
    COMMITTED.setRelease(this, w + 1);
  }

  boolean isFull() {
    return written == RECORDS;
  }

  /** Records the writer may read. Any thread. */
  int committed() {
    return (int) COMMITTED.getAcquire(this);
  }

  /** Makes the buffer empty again, before the writer hands it back to an owner. */
  void reset() {
    written = 0;
    flushed = 0;
    COMMITTED.setRelease(this, 0);
  }
}
