package io.kallisto.visualizer.model;

import java.util.Locale;

/**
 * What "slow" means for the "Slow requests" highlight: a percentile of the trace's request
 * latencies ({@code p99}, {@code p99.9}, {@code p90}), resolved per trace, or a fixed duration
 * ({@code 5ms}, {@code 250us}; a bare number is milliseconds, as everywhere in Kallisto).
 */
public final class SlowThreshold {
  /** The default: the trace's p99. */
  public static final SlowThreshold P99 = new SlowThreshold(99, -1, "p99");

  private final double percentile;
  private final long nanos;
  private final String text;

  private SlowThreshold(double percentile, long nanos, String text) {
    this.percentile = percentile;
    this.nanos = nanos;
    this.text = text;
  }

  /**
   * Reads {@code text}: {@code pN} with 0 < N < 100 (decimals allowed), or a duration above zero.
   *
   * @throws IllegalArgumentException saying what is accepted, for anything else
   */
  public static SlowThreshold parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      double p;
      try {
        p = Double.parseDouble(t.substring(1));
      } catch (NumberFormatException e) {
        p = Double.NaN;
      }
      if (!(p > 0 && p < 100)) {
        throw new IllegalArgumentException("'" + text.strip() + "': a percentile is p followed"
            + " by a number above 0 and below 100, as p99 or p99.9");
      }
      return new SlowThreshold(p, -1, "p" + trim(p));
    }
    long ns;
    try {
      ns = TimeFormat.parse(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + (text == null ? "" : text.strip()) + "': give a"
          + " percentile (p99, p99.9) or a duration (5ms, 250us)");
    }
    if (ns <= 0) {
      throw new IllegalArgumentException("'" + text.strip() + "': a duration above zero");
    }
    return new SlowThreshold(Double.NaN, ns, TimeFormat.duration(ns));
  }

  /** The latency at or above which a request of {@code requests} is slow; -1 if none is known. */
  public long nanos(Requests requests) {
    return nanos >= 0 ? nanos : requests.percentile(percentile);
  }

  /** True for a percentile, false for a fixed duration. */
  public boolean isPercentile() {
    return nanos < 0;
  }

  /** As the user would type it: "p99.9", "5.00 ms". */
  @Override
  public String toString() {
    return text;
  }

  private static String trim(double p) {
    return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
  }
}
