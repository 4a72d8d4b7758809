package io.kallisto.trace.export;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;

/**
 * A slice as the exporters write it: a slice record (poll, work, callback, span), a request
 * from its begin to its end, or a point (a post, a slot set or completion) drawn as a slice of
 * no length so that a flow arrow has a slice to start from. Immutable; owns a copy of its
 * record.
 */
final class ExportSlice {
  /** What the slice stands for. */
  enum Kind {
    /** A slice record: {@link #event()} is the record. */
    RECORD,
    /** A server request: {@link #event()} is its REQUEST_BEGIN record. */
    REQUEST,
    /** A post, slot set or slot completion: {@link #event()} is the instant record. */
    POINT
  }

  private final Kind kind;
  private final TraceEvent event;
  private final long start;
  private final long end;
  /** Its nesting level once {@link SliceOrder} released it as nested: 1 outermost, 0 before. */
  int level;

  private ExportSlice(Kind kind, TraceEvent event, long start, long end) {
    this.kind = kind;
    this.event = event;
    this.start = start;
    this.end = end;
  }

  /** A slice record, copied. */
  static ExportSlice record(TraceEvent slice) {
    return new ExportSlice(Kind.RECORD, slice.copy(), slice.time(), slice.end());
  }

  /** A server request from {@code begin} (copied) to {@code end}. */
  static ExportSlice request(TraceEvent begin, long end) {
    return new ExportSlice(Kind.REQUEST, begin.copy(), begin.time(), Math.max(end, begin.time()));
  }

  /** An instant drawn as a slice of no length, copied. */
  static ExportSlice point(TraceEvent instant) {
    return new ExportSlice(Kind.POINT, instant.copy(), instant.time(), instant.time());
  }

  Kind kind() {
    return kind;
  }

  /** The record behind the slice; see {@link Kind}. */
  TraceEvent event() {
    return event;
  }

  int thread() {
    return event.thread();
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  /** True for the records that close a loop iteration: poll and work. */
  boolean closesIteration() {
    return kind == Kind.RECORD
        && (event.type() == EventType.POLL || event.type() == EventType.WORK);
  }

  /**
   * Nesting depth among slices that start together: loop slices enclose callbacks, which
   * enclose requests, then user spans, then points.
   */
  int depth() {
    switch (kind) {
      case REQUEST:
        return 2;
      case POINT:
        return 4;
      default:
        switch (event.type()) {
          case POLL:
          case WORK:
            return 0;
          case CALLBACK:
            return 1;
          default:
            return 3;
        }
    }
  }
}
