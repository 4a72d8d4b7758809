package io.kallisto.trace;

/**
 * What a trace record says. Every record has the same 32-byte layout
 * ({@link TraceRecordDescriptor}); the type says what its fields mean. Codes are part of the file
 * format: never renumber them, only add.
 */
public enum EventType {
  /**
   * The loop waited in its poll. start, a = duration, kind = 1 if it was allowed to block (0 for a
   * non-blocking poll), b = the earliest timer deadline it would wake for (0 if none).
   */
  POLL(1, "poll"),
  /** The loop did the work of one iteration after its poll. start, a = duration. */
  WORK(2, "work"),
  /**
   * A callback ran. kind = {@link CallbackKind}, id = label, start, a = duration, b = flow id
   * (post, slot update), deadline (timer) or fd (file event).
   */
  CALLBACK(3, "callback"),
  /**
   * post() enqueued a callback. id = the target dispatcher's trace id, kind = 1 if it wrote a
   * wakeup (0: the wakeup was avoided), b = flow id (0 if the post queue does not number tasks).
   */
  POST(4, "post"),
  /** A timer was enabled. id = timer id, a = deadline. */
  TIMER_ARM(5, "timer-arm"),
  /** A pending timer was disabled. id = timer id. */
  TIMER_DISABLE(6, "timer-disable"),
  /** The backend re-armed its timer source (timerfd). a = deadline. */
  TIMERFD_ARM(7, "timerfd-arm"),
  /** Slot.set or runOnAllThreads started on the main thread. id = slot index, b = flow id. */
  SLOT_SET(8, "slot-set"),
  /** A slot update's completion ran on the main thread. id = slot index, b = flow id. */
  SLOT_COMPLETE(9, "slot-complete"),
  /** A connection was accepted (kind 0) or connected (kind 1). a = connection id. */
  CONNECTION_OPEN(10, "connection-open"),
  /** A connection closed: kind 0 on the accepting side, 1 on the connecting side. a = id. */
  CONNECTION_CLOSE(11, "connection-close"),
  /**
   * A request began: kind = 0 when the server began work on it, 1 when a client sent it.
   * a = request id, b = connection id; on the server, small = the request's kind (0 echo,
   * 1 cpu, 2 sleep).
   */
  REQUEST_BEGIN(12, "request-begin"),
  /**
   * A request ended: kind = 0 when the server sent the response, 1 when the client received it.
   * a = request id, b = connection id.
   */
  REQUEST_END(13, "request-end"),
  /** A sampled counter. id = counter name, a = value. */
  COUNTER(14, "counter"),
  /** A user's instant mark. id = label. */
  MARK(15, "mark"),
  /** A user's span. id = label, start, a = duration. */
  SPAN(16, "span"),
  /**
   * A watchdog found a loop that had not checked in: recorded on the guard dog's thread.
   * kind = 0 for a miss, 1 for a mega-miss; id = label naming the stalled dispatcher; a = ns since
   * it last checked in.
   */
  WATCHDOG(17, "watchdog");

  /** Codes run below this; readers count records by code in small arrays. */
  private static final int CODE_LIMIT = 32;

  private static final CodeTable<EventType> BY_CODE =
      new CodeTable<>(values(), EventType::code, CODE_LIMIT);

  private final int code;
  private final String label;

  EventType(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The code stored in the file. */
  public int code() {
    return code;
  }

  /** A short lower-case name for tables and exports. */
  public String label() {
    return label;
  }

  /**
   * True for types whose {@code id} field is a label (a string in the file's string table):
   * callbacks, marks, spans, counters and watchdog events.
   */
  public boolean hasLabel() {
    return this == CALLBACK || this == MARK || this == SPAN || this == COUNTER || this == WATCHDOG;
  }

  /** The type with {@code code}, or {@code null} if there is none (a corrupt record). */
  public static EventType ofCode(int code) {
    return BY_CODE.ofCode(code);
  }
}
