package io.kallisto.visualizer.model;

import io.kallisto.trace.CallbackKind;

/**
 * What a slice on a lane stands for; decides its colour and its place in the legend. Codes are
 * the ordinals, stored one byte per slice in {@link Lane}.
 */
public enum SliceCategory {
  /** A poll that was allowed to block: the loop was idle, waiting for something to do. */
  POLL_WAIT("poll wait (idle)"),
  /** A non-blocking poll: the loop looked for events without waiting. */
  POLL("poll (non-blocking)"),
  /** The work of one loop iteration, around its callbacks. */
  WORK("loop work"),
  /** A posted callback. */
  POST_CALLBACK("post callback"),
  /** A timer callback. */
  TIMER_CALLBACK("timer callback"),
  /** An fd readiness callback. */
  FILE_CALLBACK("file event callback"),
  /** A thread-local slot update applied on a worker. */
  SLOT_CALLBACK("slot update callback"),
  /** A callback of a kind this version does not know. */
  OTHER_CALLBACK("other callback"),
  /** A user's span ({@code Tracing.span}). */
  SPAN("span"),
  /** A request the server worked on: from its request-begin to its request-end. */
  REQUEST("request");

  private static final SliceCategory[] VALUES = values();

  private final String label;

  SliceCategory(String label) {
    this.label = label;
  }

  /** The name shown in the legend and in details. */
  public String label() {
    return label;
  }

  /** True for the callback categories. */
  public boolean isCallback() {
    return ordinal() >= POST_CALLBACK.ordinal() && ordinal() <= OTHER_CALLBACK.ordinal();
  }

  /** The category stored as {@code code}. */
  public static SliceCategory of(int code) {
    return VALUES[code];
  }

  /** How many categories there are. */
  public static int count() {
    return VALUES.length;
  }

  /** The category of a callback of {@code kind} (may be null for an unknown kind). */
  public static SliceCategory ofCallback(CallbackKind kind) {
    if (kind == null) {
      return OTHER_CALLBACK;
    }
    switch (kind) {
      case POST:
        return POST_CALLBACK;
      case TIMER:
        return TIMER_CALLBACK;
      case FILE_EVENT:
        return FILE_CALLBACK;
      case SLOT_UPDATE:
        return SLOT_CALLBACK;
      default:
        return OTHER_CALLBACK;
    }
  }
}
