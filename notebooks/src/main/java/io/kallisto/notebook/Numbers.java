package io.kallisto.notebook;

import java.util.Locale;

/**
 * Plain number formatting for what a notebook prints: thousands separators, no scientific
 * notation, and as many decimals as the size of the number deserves. Every claim, table and axis
 * in the lessons formats through here, so that "1.8E5 µs" never reaches a reader.
 *
 * <pre>{@code
 * Numbers.plain(183_412.7);   // "183,413"
 * Numbers.plain(12.345);      // "12.3"
 * Numbers.plain(0.0123);      // "0.0123"
 * Numbers.count(1319);        // "1,319"
 * Numbers.percent(0.613);     // "61.3 %"
 * }</pre>
 */
public final class Numbers {
  private Numbers() {}

  /**
   * {@code v} with thousands separators and about three significant digits (never fewer than
   * the integer part): 183,413; 1,234; 12.3; 0.123; 0.0123; whole numbers without decimals (2,
   * not 2.0). NaN prints as "n/a".
   */
  public static String plain(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    double a = Math.abs(v);
    if (a < 1e15 && v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v); // a whole number needs no decimals
    }
    int decimals = a >= 100 || a == 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2
        : Math.min(9, 2 - (int) Math.floor(Math.log10(a)));
    if (a >= 100 || a == 0) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    String s = String.format(Locale.ROOT, "%,." + decimals + "f", v);
    // Trailing zeros say nothing a reader needs ("2.50" is "2.5"), but keep one digit after '.'.
    if (s.indexOf('.') >= 0) {
      s = s.replaceAll("(\\.\\d*?[1-9])0+$", "$1").replaceAll("\\.0+$", "");
    }
    return s;
  }

  /** A count with thousands separators: 1,319. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A share (0.613) as a percentage with one decimal: "61.3 %". */
  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  /** Nanoseconds as microseconds, plainly: "20,283 µs", "15.2 µs". */
  public static String micros(double nanos) {
    return plain(nanos / 1e3) + " µs";
  }

  /** Nanoseconds as milliseconds, plainly: "20.3 ms". */
  public static String millis(double nanos) {
    return plain(nanos / 1e6) + " ms";
  }
}
