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
}
