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
  /** Set by the owner when it has moved on to another buffer: only then may the writer recycle. */
  private volatile boolean retired;

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

  /** The owner will not write here again. Owner only. */
  void retire() {
    retired = true;
  }

  /** True once the owner has moved on. Any thread. */
  boolean isRetired() {
    return retired;
  }

  /**
   * Makes a retired buffer empty again, before the writer hands it to a new owner through the
   * pool (whose queue orders these writes before the new owner's first read).
   */
  void reset() {
    written = 0;
    flushed = 0;
    retired = false;
    COMMITTED.setRelease(this, 0);
  }
}
