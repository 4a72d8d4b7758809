package io.kallisto.event;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * A snapshot of one dispatcher's loop statistics. {@code loopDuration} and {@code pollDelay} are
 * named after Envoy's {@code loop_duration_us} and {@code poll_delay_us}
 * ({@code ALL_DISPATCHER_STATS}, envoy/event/dispatcher.h), but Envoy measures them between
 * libevent's prepare and check watchers, in microseconds, and its poll delay is the overrun of the
 * poll timeout: see docs/envoy-fidelity.md.
 *
 * <ul>
 *   <li>{@code loopDuration}: per iteration, the time from the poll returning to the next poll
 *       (the work part of the iteration), in nanoseconds.
 *   <li>{@code pollDelay}: per iteration that slept until a timer deadline, how late the poll
 *       returned after that deadline, in nanoseconds. Iterations woken earlier (by I/O or a post)
 *       record nothing.
 * </ul>
 *
 * <p>Wakeup accounting: a post from a thread other than the loop thread writes the wakeup fd
 * only when the loop may be asleep. {@link #wakeupsAvoided} counts the posts that ran without
 * such a write: posts made while the loop was awake, posts from the loop thread itself, and posts
 * made while no run was in progress. It is exact once the queue has drained, and may briefly
 * trail while posts are in flight.
 */
public final class DispatcherStats {
  private final String name;
  private final long iterations;
  private final long postsRun;
  private final long postsDropped;
  private final long wakeupsWritten;
  private final long timersFired;
  private final long timerArms;
  private final long fileEventsFired;
  private final long callbackErrors;
  private final String lastCallbackError;
  private final long busyNanos;
  private final Histogram loopDuration;
  private final Histogram pollDelay;

  /** Assembled by the dispatcher; histograms are private copies. */
  public DispatcherStats(String name, long iterations, long postsRun, long postsDropped,
      long wakeupsWritten, long timersFired, long timerArms, long fileEventsFired,
      long callbackErrors, String lastCallbackError, long busyNanos, Histogram loopDuration,
      Histogram pollDelay) {
    this.name = name;
    this.iterations = iterations;
    this.postsRun = postsRun;
    this.postsDropped = postsDropped;
    this.wakeupsWritten = wakeupsWritten;
    this.timersFired = timersFired;
    this.timerArms = timerArms;
    this.fileEventsFired = fileEventsFired;
    this.callbackErrors = callbackErrors;
    this.lastCallbackError = lastCallbackError;
    this.busyNanos = busyNanos;
    this.loopDuration = loopDuration;
    this.pollDelay = pollDelay;
  }

  /** The dispatcher's name. */
  public String name() {
    return name;
  }

  /** Loop iterations completed. */
  public long iterations() {
    return iterations;
  }

  /** Posted callbacks run. */
  public long postsRun() {
    return postsRun;
  }

  /** Posted callbacks dropped because the dispatcher closed before running them. */
  public long postsDropped() {
    return postsDropped;
  }

  /** Wakeup fd writes made for posts and exits from other threads. */
  public long wakeupsWritten() {
    return wakeupsWritten;
  }

  /** Posts that ran without a wakeup write of their own; see the class comment. */
  public long wakeupsAvoided() {
    return Math.max(0, postsRun - wakeupsWritten);
  }

  /** Timer callbacks run. */
  public long timersFired() {
    return timersFired;
  }

  /** Times the backend re-armed its timer source (timerfd_settime on epoll). */
  public long timerArms() {
    return timerArms;
  }

  /** File event callbacks run. */
  public long fileEventsFired() {
    return fileEventsFired;
  }

  /** Callbacks of any kind that threw. The loop kept running after each. */
  public long callbackErrors() {
    return callbackErrors;
  }

  /** The last callback failure as one line, or {@code null} if none failed. */
  public String lastCallbackError() {
    return lastCallbackError;
  }

  /**
   * Total time spent working (outside the poll) since the first run, in nanoseconds: the sum of
   * every {@code loopDuration}. Busy percentage over an interval is the difference of two
   * snapshots divided by the interval.
   */
  public long busyNanos() {
    return busyNanos;
  }

  /** Per-iteration work time in nanoseconds. A copy; the caller may keep or change it. */
  public Histogram loopDuration() {
    return loopDuration;
  }

  /** Per-iteration lateness of timer wakeups in nanoseconds. A copy. */
  public Histogram pollDelay() {
    return pollDelay;
  }

  /** One line for logs and the demo, with microsecond percentiles. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "%s: iterations=%d posts=%d timers=%d fileEvents=%d errors=%d wakeups=%d/avoided=%d "
            + "loop_duration_us p50=%.1f p99=%.1f poll_delay_us p50=%.1f p99=%.1f",
        name, iterations, postsRun, timersFired, fileEventsFired, callbackErrors,
        wakeupsWritten, wakeupsAvoided(),
        micros(loopDuration, 50), micros(loopDuration, 99),
        micros(pollDelay, 50), micros(pollDelay, 99));
  }

  /** The {@code percentile} of {@code h} in microseconds, or 0 if it is empty. */
  public static double micros(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
