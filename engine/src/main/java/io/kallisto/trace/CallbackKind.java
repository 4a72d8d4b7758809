package io.kallisto.trace;

/** What made a callback run. Codes are part of the file format. */
public enum CallbackKind {
  /** A posted callback. */
  POST(1, "post"),
  /** A timer. */
  TIMER(2, "timer"),
  /** An fd readiness callback. */
  FILE_EVENT(3, "file event"),
  /** A thread-local slot update applied on a worker. */
  SLOT_UPDATE(4, "slot update");

  /** Codes fit the record's one-byte {@code kind} field ({@link TraceRecordDescriptor}). */
  private static final CodeTable<CallbackKind> BY_CODE =
      new CodeTable<>(values(), CallbackKind::code, 256);

  private final int code;
  private final String label;

  CallbackKind(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The code stored in the file. */
  public int code() {
    return code;
  }

  /** A readable name. */
  public String label() {
    return label;
  }

  /** The kind with {@code code}, or {@code null}. */
  public static CallbackKind ofCode(int code) {
    return BY_CODE.ofCode(code);
  }
}
