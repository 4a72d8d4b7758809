package io.kallisto.visualizer.model;

/**
 * The part of a trace to read, as {@code render --from/--to} and {@code view --from/--to} give
 * it: from and to in nanoseconds since the trace's first event. A model read through a window
 * holds only the events that meet it, read from only the blocks whose time range meets it.
 *
 * @param from the window's start since the first event, ns, at least 0
 * @param to its end since the first event, ns, after {@code from}; {@link Long#MAX_VALUE} for the
 *     trace's end
 */
public record ReadWindow(long from, long to) {
  /** Checks the bounds. */
  public ReadWindow {
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException("a read window needs 0 <= from < to, not " + from
          + " to " + to);
    }
  }

  /** The window's start on the trace's clock, for a trace whose first event is at {@code first}. */
  public long absoluteFrom(long first) {
    return first + from;
  }

  /** The window's end on the trace's clock (saturating, for a window open to the end). */
  public long absoluteTo(long first) {
    long end = first + to;
    return end < first ? Long.MAX_VALUE : end;
  }
}
