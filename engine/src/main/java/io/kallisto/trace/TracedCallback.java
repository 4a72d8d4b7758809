package io.kallisto.trace;

/**
 * A callback that tells the trace what it is. Posted callbacks are recorded as
 * {@link CallbackKind#POST} with a label made from their class; one that implements this
 * interface chooses its own kind, label and flow instead.
 */
public interface TracedCallback {
  /** The kind recorded for this callback. */
  default CallbackKind traceKind() {
    return CallbackKind.POST;
  }

  /** A short label, such as {@code "config push"}. */
  String traceLabel();

  /** A flow id joining this callback to the event that caused it, or 0 to use the post's. */
  default long traceFlow() {
    return 0;
  }
}
