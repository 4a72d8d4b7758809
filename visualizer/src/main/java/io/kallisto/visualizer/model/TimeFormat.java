package io.kallisto.visualizer.model;

import java.util.Locale;

/** Times and durations as people read them: {@code 850 ns}, {@code 12.3 µs}, {@code 4.56 ms}. */
public final class TimeFormat {
  private TimeFormat() {}

  /** A duration with three significant digits and the unit that fits. */
  public static String duration(double nanos) {
    double abs = Math.abs(nanos);
    if (abs < 1_000) {
      return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
    if (abs < 1_000_000) {
      return sig(nanos / 1e3) + " µs";
    }
    if (abs < 1_000_000_000) {
      return sig(nanos / 1e6) + " ms";
    }
    return sig(nanos / 1e9) + " s";
  }

  /**
   * A time since the trace began, with enough digits to tell apart points {@code resolution}
   * nanoseconds apart.
   */
  public static String offset(double nanos, double resolution) {
    if (Math.abs(nanos) < Math.max(0.5, resolution / 2)) {
      nanos = 0; // no "-0 ms" on the ruler
    }
    if (resolution < 1_000) {
      return String.format(Locale.ROOT, "%,.0f ns", nanos).replace(',', ' ');
    }
    if (Math.abs(nanos) < 1e6 && resolution < 1e6) {
      return String.format(Locale.ROOT, "%." + decimals(resolution / 1e3) + "f µs", nanos / 1e3);
    }
    if (Math.abs(nanos) < 1e9 && resolution < 1e9) {
      return String.format(Locale.ROOT, "%." + decimals(resolution / 1e6) + "f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%." + decimals(resolution / 1e9) + "f s", nanos / 1e9);
  }

  /**
   * A time since the trace began to the nanosecond, in the unit that reads best:
   * {@code 749 ns}, {@code 706.749 µs}, {@code 145.706749 ms}, {@code 2.000000001 s}.
   */
  public static String precise(long nanos) {
    long abs = Math.abs(nanos);
    if (abs < 1_000) {
      return nanos + " ns";
    }
    if (abs < 1_000_000) {
      return String.format(Locale.ROOT, "%.3f µs", nanos / 1e3);
    }
    if (abs < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.6f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.9f s", nanos / 1e9);
  }

  private static int decimals(double resolutionInUnit) {
    if (resolutionInUnit >= 1) {
      return 0;
    }
    return Math.min(6, (int) Math.ceil(-Math.log10(resolutionInUnit)));
  }

  private static String sig(double v) {
    double abs = Math.abs(v);
    String f = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, f, v);
  }

  /**
   * Parses a time like {@code 12.5ms}, {@code 300us}, {@code 2s} or {@code 800ns} into
   * nanoseconds; a bare number is milliseconds.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static long parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    double unit = 1e6;
    String[][] units = {{"ns", "1"}, {"us", "1e3"}, {"µs", "1e3"}, {"ms", "1e6"}, {"s", "1e9"}};
    for (String[] u : units) {
      if (t.endsWith(u[0])) {
        unit = Double.parseDouble(u[1]);
        t = t.substring(0, t.length() - u[0].length()).trim();
        break;
      }
    }
    try {
      double v = Double.parseDouble(t);
      if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
        throw new NumberFormatException();
      }
      return Math.round(v * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a time; use a number with ns,"
          + " us, ms or s, for example 12.5ms (a bare number is milliseconds)");
    }
  }
}
