package io.kallisto.trace;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread's part of a trace session: its id in the thread table and its buffers, oldest
 * first. Only the owning thread appends; when its buffer fills it takes a fresh one, so the
 * writer can drain the queue in order and see the thread's records in the order they were made.
 */
public final class ThreadTrace {
  final TraceSession session;
  final int id;
  final String name;
  final ConcurrentLinkedQueue<TraceBuffer> buffers = new ConcurrentLinkedQueue<>();
  private TraceBuffer current;

  ThreadTrace(TraceSession session, int id, String name) {
    this.session = session;
    this.id = id;
    this.name = name;
    TraceBuffer first = session.takeBuffer();
    current = first != null ? first : new TraceBuffer(); // one per thread even over the cap
    buffers.add(current);
  }

  /** This thread's id in the trace's thread table. */
  public int id() {
    return id;
  }

  /** The session this belongs to; records go nowhere once it has stopped. */
  public TraceSession session() {
    return session;
  }

  /** Appends a record. Owning thread only. */
  public void record(EventType type, int kind, int small, int id, long time, long a, long b) {
    TraceBuffer buf = current;
    if (buf.isFull()) {
      TraceBuffer next = session.takeBuffer();
      if (next == null) {
        session.recordDropped(); // over the memory cap: the writer is behind
        return;
      }
      buf.retire(); // before the new buffer is queued: the writer may recycle this one now
      buffers.add(next);
      current = next;
      buf = next;
      session.bufferFilled();
    }
    buf.append(TraceRecordDescriptor.header(type.code(), kind, small, id), time, a, b);
  }
}
