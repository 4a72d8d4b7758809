package io.kallisto.scenario;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as scenario files and the command line spell them: a whole or decimal number and a
 * unit, with nothing between them.
 *
 * <pre>{@code
 * Durations.parse("250ms");                      // PT0.25S
 * Durations.parse("1.5s");                       // PT1.5S
 * Durations.format(Duration.ofMillis(1500));     // "1500ms"
 * }</pre>
 *
 * <p>Units are {@code ns}, {@code us}, {@code ms}, {@code s} and {@code m} (minutes). There is
 * no sign, exponent or space, so a duration is never negative, and it must be a whole number of
 * nanoseconds of at most {@link Long#MAX_VALUE} (about 292 years), so {@link Duration#toNanos()}
 * never overflows for a parsed value.
 */
public final class Durations {
  /** What a duration looks like; the tail of every syntax error. */
  public static final String ALLOWED =
      "a number and a unit (ns, us, ms, s or m), such as \"250ms\", \"1.5s\" or \"2m\"";

  private static final Pattern SYNTAX = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m)");
  /** Units from the largest down: {@link #format} picks the first that divides exactly. */
  private static final String[] UNITS = {"m", "s", "ms", "us", "ns"};
  private static final long[] UNIT_NANOS =
      {60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * The duration {@code text} spells.
   *
   * @throws IllegalArgumentException if it is not one, with a one-line message that quotes the
   *     text and says what is allowed, e.g. {@code "5 s" is not a duration; allowed: a number and
   *     a unit ...}
   */
  public static Duration parse(String text) {
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem + "; allowed: " + ALLOWED);
    }
    BigDecimal nanos = nanos(text);
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException(Messages.quote(text) + " is too long; allowed: at most "
          + Long.MAX_VALUE / UNIT_NANOS[0] + "m (about 292 years)");
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  /**
   * The duration {@code text} spells, if it lies in [{@code min}, {@code max}]: for options such
   * as {@code --duration 5s}, with {@link ScenarioParser#MIN_DURATION} and {@link
   * ScenarioParser#MAX_DURATION}.
   *
   * @throws IllegalArgumentException as {@link #parse(String)} does, or if the duration is out of
   *     range, e.g. {@code "2s" is out of range; allowed: a duration from 100ms to 60m}
   */
  public static Duration parse(String text, Duration min, Duration max) {
    Duration d = parse(text);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(Messages.quote(text) + " is out of range; allowed: "
          + range(min, max));
    }
    return d;
  }

  /** {@code a duration from 100ms to 60m}: the {@code allowed} part of a range error. */
  static String range(Duration min, Duration max) {
    return "a duration from " + format(min) + " to " + format(max);
  }

  /**
   * {@code d} in the largest unit that holds it as a whole number: {@code "5s"}, {@code
   * "250ms"}, {@code "1500ms"}, {@code "2m"}, {@code "0s"}. {@link #parse} reads it back as
   * {@code d}.
   *
   * @throws IllegalArgumentException if {@code d} is negative or longer than {@link
   *     Long#MAX_VALUE} nanoseconds
   */
  public static String format(Duration d) {
    if (d.isNegative() || d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("duration=" + d + " cannot be written; allowed: 0s to "
          + Long.MAX_VALUE / UNIT_NANOS[0] + "m (about 292 years)");
    }
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    for (int i = 0; i < UNITS.length; i++) {
      if (nanos % UNIT_NANOS[i] == 0) {
        return nanos / UNIT_NANOS[i] + UNITS[i];
      }
    }
    throw new AssertionError("1 ns divides every duration");
  }

  /**
   * What is wrong with the spelling of {@code text}, as one line without the {@code allowed}
   * part, or null if it spells a whole number of nanoseconds. Its size is not checked: callers
   * compare {@link #nanos} with their own range.
   */
  static String problem(String text) {
    BigDecimal nanos = nanos(text);
    if (nanos == null) {
      return Messages.quote(text) + " is not a duration";
    }
    if (nanos.signum() != 0 && nanos.stripTrailingZeros().scale() > 0) {
      return Messages.quote(text) + " is not a whole number of nanoseconds";
    }
    return null;
  }

  /**
   * The exact nanoseconds {@code text} spells, possibly fractional and possibly far beyond a
   * {@code long}; null if it is not spelled as a duration.
   */
  static BigDecimal nanos(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long unit = 0;
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(m.group(2))) {
        unit = UNIT_NANOS[i];
      }
    }
    return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
  }
}
