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

  private static final CallbackKind[] BY_CODE = {null, POST, TIMER, FILE_EVENT, SLOT_UPDATE};

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
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
