package io.kallisto.run;

import io.kallisto.event.DispatcherStats;
import io.kallisto.net.WorkerCounters;

/**
 * What one server worker did during a run.
 *
 * @param name the worker's name
 * @param requests requests it answered
 * @param connections connections it was handed
 * @param busyPercent share of the load window its loop spent working rather than waiting
 * @param loopP50Micros loop_duration median, µs
 * @param loopP99Micros loop_duration 99th percentile, µs
 * @param loopMaxMicros the longest iteration, µs
 * @param pollDelayP50Micros poll_delay median, µs
 * @param pollDelayP99Micros poll_delay 99th percentile, µs
 * @param wakeupsWritten eventfd writes made to wake it
 * @param wakeupsAvoided posts that needed no wakeup write
 * @param timersFired timer callbacks it ran
 * @param watchdogMisses times its loop was silent for more than 200 ms
 * @param watchdogMegaMisses times its loop was silent for more than 1 s
 * @param callbackErrors callbacks that threw
 */
public record WorkerSummary(String name, long requests, long connections, double busyPercent,
    double loopP50Micros, double loopP99Micros, double loopMaxMicros, double pollDelayP50Micros,
    double pollDelayP99Micros, long wakeupsWritten, long wakeupsAvoided, long timersFired,
    long watchdogMisses, long watchdogMegaMisses, long callbackErrors) {

  /**
   * A worker's row from its loop's statistics and its server counters; {@code busyNanos} of
   * {@code windowNanos} is its busy share (capped at 100 %).
   */
  public static WorkerSummary of(DispatcherStats s, WorkerCounters counters, long busyNanos,
      long windowNanos, long misses, long megaMisses) {
    double busy = windowNanos <= 0 ? 0 : 100.0 * busyNanos / windowNanos;
    return new WorkerSummary(s.name(), counters.requests(), counters.acceptedConnections(),
        Math.min(100, busy), DispatcherStats.micros(s.loopDuration(), 50),
        DispatcherStats.micros(s.loopDuration(), 99), s.loopDuration().getMaxValue() / 1000.0,
        DispatcherStats.micros(s.pollDelay(), 50), DispatcherStats.micros(s.pollDelay(), 99),
        s.wakeupsWritten(), s.wakeupsAvoided(), s.timersFired(), misses, megaMisses,
        s.callbackErrors());
  }
}
