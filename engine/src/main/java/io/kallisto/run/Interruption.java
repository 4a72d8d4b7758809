package io.kallisto.run;

import io.kallisto.trace.TraceEnd;

/**
 * How a run was cut short (see {@link RunStop}): why, when, and how far the load had got of
 * what was planned.
 *
 * @param reason what stopped it: a signal's name, such as {@code "SIGTERM"}
 * @param atNanos when the stop was requested, on the run's clock: {@link System#nanoTime()} for
 *     a real run, virtual time for a simulated one (the trace's clock either way)
 * @param ranNanos how long the load had run by then (0 if it had not begun)
 * @param plannedNanos how long it was to run: the scenario's duration
 * @param loadCollected false when the load generator's figures are missing: the run was cut
 *     before the load began, or its threads did not stop within a second of the cut (an
 *     overloaded machine); the summary then has only the responses counted so far
 */
public record Interruption(String reason, long atNanos, long ranNanos, long plannedNanos,
    boolean loadCollected) {
  /**
   * {@code "interrupted after 4.4 s of 30 s (SIGTERM)"}, or {@code "interrupted after 0 s of 30 s,
   * during set-up (SIGTERM)"} when the load never began.
   */
  public String describe() {
    return "interrupted after " + TraceEnd.seconds(ranNanos) + " of "
        + TraceEnd.seconds(plannedNanos) + (ranNanos == 0 && !loadCollected ? ", during set-up"
        : "") + " (" + reason + ")";
  }

  /** The same, as the trace's END block records it. */
  public TraceEnd traceEnd() {
    return TraceEnd.interrupted(atNanos, reason, plannedNanos, ranNanos);
  }
}
