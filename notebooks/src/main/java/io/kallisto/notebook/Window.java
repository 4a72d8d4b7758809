package io.kallisto.notebook;

import java.time.Duration;

/**
 * A stretch of a trace to draw, measured from the trace's first event, with what is in it: the
 * event a lesson is about. {@link Moments} chooses windows from the trace itself, so a picture
 * shows the worst blocker or the first wakeup whatever the run's timing was.
 *
 * <pre>{@code
 * Window w = Moments.worstBlocker(r.trace());
 * w;                               // "worker-1: request ... held the loop 20.3 ms ..."
 * Timeline.show(r.trace(), w);     // the picture, captioned with w.why()
 * }</pre>
 *
 * @param from where the window starts, from the trace's first event
 * @param to where it ends; after {@code from}
 * @param why what the window shows, one line
 */
public record Window(Duration from, Duration to, String why) {
  /**
   * Checks the range.
   *
   * @throws IllegalArgumentException if {@code to} is not after {@code from} or {@code from} is
   *     negative
   */
  public Window {
    if (from.isNegative() || to.compareTo(from) <= 0) {
      throw new IllegalArgumentException("window " + from + " to " + to
          + " is empty; 'to' must be after 'from', and 'from' at least 0");
    }
  }

  /** A window from {@code fromNanos} to {@code toNanos} since the trace began, clipped at 0. */
  static Window ofNanos(long fromNanos, long toNanos, String why) {
    long from = Math.max(0, fromNanos);
    return new Window(Duration.ofNanos(from), Duration.ofNanos(Math.max(from + 1, toNanos)), why);
  }

  /** How long the window is. */
  public Duration length() {
    return to.minus(from);
  }

  @Override
  public String toString() {
    return why + " (" + Numbers.millis(from.toNanos()) + " to " + Numbers.millis(to.toNanos())
        + " into the trace)";
  }
}
