package io.kallisto.trace;

/**
 * One record, as a reader hands it to a {@link TraceFile.EventVisitor}. The object is reused for
 * the next record: copy what you keep, or call {@link #copy()}.
 */
public final class TraceEvent {
  int thread;
  EventType type;
  int kind;
  int small;
  int id;
  long time;
  long a;
  long b;
  private TraceFile file;

  TraceEvent(TraceFile file) {
    this.file = file;
  }

  /** The recording thread's id in {@link TraceFile#threads()}. */
  public int thread() {
    return thread;
  }

  /** What happened. */
  public EventType type() {
    return type;
  }

  /** The kind byte: a {@link CallbackKind} code for callbacks, 1 for a post that woke its loop. */
  public int kind() {
    return kind;
  }

  /** For callbacks, the kind as an enum, or {@code null} for other records. */
  public CallbackKind callbackKind() {
    return type == EventType.CALLBACK ? CallbackKind.ofCode(kind) : null;
  }

  /** The 16-bit field: a file event callback's ready bits, a timer callback's id (low bits). */
  public int small() {
    return small;
  }

  /** The id field: a label string id, a timer id, a slot index or a post's target dispatcher. */
  public int id() {
    return id;
  }

  /** When it happened, or when a slice began: monotonic (or virtual) nanoseconds. */
  public long time() {
    return time;
  }

  /** Field a: a slice's duration, a deadline, a counter value or an id. */
  public long a() {
    return a;
  }

  /** Field b: a flow id, a deadline, an fd or a connection id. */
  public long b() {
    return b;
  }

  /** True for slices (poll, work, callbacks, spans), whose {@link #a()} is a duration. */
  public boolean isSlice() {
    return TraceRecords.isSlice(type.code());
  }

  /** A slice's duration in nanoseconds, or 0 for an instant. */
  public long duration() {
    return isSlice() ? Math.max(0, a) : 0;
  }

  /** When a slice ended; an instant's time. Saturates rather than wrapping. */
  public long end() {
    long end = time + duration();
    return end < time ? Long.MAX_VALUE : end;
  }

  /**
   * The label for callbacks, marks, spans and counters, the stalled dispatcher's name for
   * watchdog events, or {@code ""}.
   */
  public String label() {
    return type.hasLabel() ? file.string(id) : "";
  }

  /** A detached copy that stays valid. */
  public TraceEvent copy() {
    TraceEvent c = new TraceEvent(file);
    c.thread = thread;
    c.type = type;
    c.kind = kind;
    c.small = small;
    c.id = id;
    c.time = time;
    c.a = a;
    c.b = b;
    return c;
  }

  @Override
  public String toString() {
    return type.label() + "@" + time + "[thread=" + thread + " kind=" + kind + " small=" + small
        + " id=" + id + " a=" + a + " b=" + b + "]";
  }
}
