package io.kallisto.trace;

/** Hand-made events for unit tests of code that consumes {@link TraceEvent}s. */
public final class TestEvents {
  private TestEvents() {}

  /** A slice of {@code type} on {@code thread} from {@code start} lasting {@code duration}. */
  public static TraceEvent slice(EventType type, int thread, long start, long duration) {
    TraceEvent e = new TraceEvent(null); // no file: callers must not ask for labels
    e.type = type;
    e.thread = thread;
    e.time = start;
    e.a = duration;
    return e;
  }

  /**
   * A record of {@code type} with {@code kind} on {@code thread} at {@code time}, fields
   * {@code a} and {@code b} (for a callback, kind is its {@link CallbackKind} code and a its
   * duration).
   */
  public static TraceEvent record(EventType type, int kind, int thread, long time, long a,
      long b) {
    TraceEvent e = slice(type, thread, time, a);
    e.kind = kind;
    e.b = b;
    return e;
  }
}
