package io.kallisto.load;

import org.HdrHistogram.Histogram;

/**
 * What a load generator run measured, over the measurement window (after warm-up).
 *
 * @param sent requests sent, warm-up included
 * @param answered responses received, warm-up included
 * @param measured responses to requests due inside the measurement window: the latency count
 * @param windowNanos the measurement window: from the end of warm-up to when sending stopped
 * @param latency per-request latency in ns; in open loop measured from when each request was due
 *     (corrected for coordinated omission), in closed loop from when it was sent
 * @param serviceLatency open loop only: latency from when each request was actually sent, which
 *     hides the queueing a stalled server causes (what an uncorrected tool reports); in closed
 *     loop the same as {@code latency}
 * @param corrupt responses whose id or payload did not match the request
 * @param unanswered requests still outstanding when the run ended (lost or too late)
 * @param skipped open loop: requests not sent because a connection's backlog was full
 * @param connectionsLost connections that closed before the run ended
 * @param firstLoss why the first lost connection closed, or {@code null}
 * @param stoppedBy {@code "duration"}, {@code "request limit"} or {@value #INTERRUPTED}
 */
public record LoadResult(long sent, long answered, long measured, long windowNanos,
    Histogram latency, Histogram serviceLatency, long corrupt, long unanswered, long skipped,
    long connectionsLost, String firstLoss, String stoppedBy) {
  /** {@link #stoppedBy()} of a load cut short by {@link LoadGenerator#interrupt()}. */
  public static final String INTERRUPTED = "interrupt";

  /**
   * The result of a load cut short whose threads' own figures could not be collected (cut
   * before it began, or its threads did not answer in time): only the {@code answered} count,
   * which is kept where any thread may read it.
   */
  public static LoadResult uncollected(long answered) {
    return new LoadResult(0, answered, 0, 0, LoadGenerator.newHistogram(),
        LoadGenerator.newHistogram(), 0, 0, 0, 0, null, INTERRUPTED);
  }

  /** True if the load was cut short before its planned end. */
  public boolean interrupted() {
    return INTERRUPTED.equals(stoppedBy);
  }

  /** Responses per second over the measurement window. */
  public double throughput() {
    return windowNanos <= 0 ? 0 : measured * 1e9 / windowNanos;
  }

  /** The latency at {@code percentile} in microseconds, 0 if nothing was measured. */
  public double latencyMicros(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
  }
}
