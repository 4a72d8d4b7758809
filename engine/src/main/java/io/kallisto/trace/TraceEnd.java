package io.kallisto.trace;

import java.util.Locale;
import java.util.Objects;

/**
 * How a recording ended, as its END block says (format version 2 on): complete, or interrupted
 * before its planned end, when, why, and how far it got. Immutable.
 *
 * <pre>{@code
 * TraceEnd end = trace.end();   // null: version 1, or a file whose writer never closed it
 * if (end != null && end.interrupted()) System.out.println(end.describe());
 * // interrupted by SIGTERM after 4.4 s of 30 s
 * }</pre>
 */
public final class TraceEnd {
  private final long time;
  private final boolean interrupted;
  private final String reason;
  private final long plannedNanos;
  private final long ranNanos;

  private TraceEnd(long time, boolean interrupted, String reason, long plannedNanos,
      long ranNanos) {
    this.time = time;
    this.interrupted = interrupted;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.plannedNanos = Math.max(0, plannedNanos);
    this.ranNanos = Math.max(0, ranNanos);
  }

  /**
   * A recording that ran to its end at {@code time} (the trace's clock). {@code plannedNanos} and
   * {@code ranNanos} may be 0 where the recorded work has no planned length.
   */
  public static TraceEnd complete(long time, long plannedNanos, long ranNanos) {
    return new TraceEnd(time, false, "", plannedNanos, ranNanos);
  }

  /**
   * A recording cut short at {@code time} (the trace's clock: when the cut was asked for) for
   * {@code reason} (a signal's name, such as {@code "SIGTERM"}), after {@code ranNanos} of the
   * {@code plannedNanos} it was to run (either 0 when not known).
   */
  public static TraceEnd interrupted(long time, String reason, long plannedNanos, long ranNanos) {
    return new TraceEnd(time, true, reason, plannedNanos, ranNanos);
  }

  /** When the recording ended, or when it was cut, on the trace's clock. */
  public long time() {
    return time;
  }

  /** True if the recording was cut short before its planned end. */
  public boolean interrupted() {
    return interrupted;
  }

  /** Why it was cut (a signal's name, such as {@code "SIGINT"}); empty when complete. */
  public String reason() {
    return reason;
  }

  /** How long the recorded work was meant to run, in ns; 0 when not known. */
  public long plannedNanos() {
    return plannedNanos;
  }

  /** How long it ran before it ended or was cut, in ns; 0 when not known. */
  public long ranNanos() {
    return ranNanos;
  }

  /**
   * One phrase: {@code "complete"}, or {@code "interrupted by SIGTERM after 4.4 s of 30 s"}
   * (the lengths only where known).
   */
  public String describe() {
    if (!interrupted) {
      return "complete";
    }
    StringBuilder s = new StringBuilder("interrupted");
    if (!reason.isEmpty()) {
      s.append(" by ").append(reason);
    }
    if (ranNanos > 0 || plannedNanos > 0) {
      s.append(" after ").append(seconds(ranNanos));
      if (plannedNanos > 0) {
        s.append(" of ").append(seconds(plannedNanos));
      }
    }
    return s.toString();
  }

  /** {@code 4.4 s}, {@code 30 s}: one decimal, dropped when it is 0. */
  public static String seconds(long nanos) {
    double s = Math.round(nanos / 1e8) / 10.0;
    return (s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f", s)
        : String.format(Locale.ROOT, "%.1f", s)) + " s";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceEnd e && e.time == time && e.interrupted == interrupted
        && e.reason.equals(reason) && e.plannedNanos == plannedNanos && e.ranNanos == ranNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, interrupted, reason, plannedNanos, ranNanos);
  }

  @Override
  public String toString() {
    return describe() + " (at " + time + " ns)";
  }
}
