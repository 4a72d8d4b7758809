package io.kallisto.notebook;

import java.util.Locale;

/**
 * How big a notebook's experiments are: {@link #CI} keeps every notebook under a minute on two
 * cores (what CI runs), {@link #FULL} is lab size. Each notebook sets it once, at the top:
 *
 * <pre>{@code
 * Scale scale = Scale.of("ci");                    // or "full"
 * Duration run = scale.pick(Duration.ofMillis(800), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p><b>Note:</b> the environment variable {@code KALLISTO_SCALE} (or the system property
 * {@code kallisto.scale}) overrides what the notebook says, so a whole set can be run at lab
 * size without editing it.
 */
public enum Scale {
  /** Small: seconds per experiment. */
  CI,
  /** Lab size: longer runs, more points, smoother curves. */
  FULL;

  /**
   * The scale named {@code name} ({@code "ci"} or {@code "full"}), unless the environment says
   * otherwise.
   *
   * <pre>{@code Scale scale = Scale.of("ci");}</pre>
   *
   * @throws IllegalArgumentException naming the bad value and the allowed ones
   */
  public static Scale of(String name) {
    String override = System.getProperty("kallisto.scale", System.getenv("KALLISTO_SCALE"));
    String chosen = override != null && !override.isBlank() ? override : name;
    switch (chosen.trim().toLowerCase(Locale.ROOT)) {
      case "ci":
        return CI;
      case "full":
        return FULL;
      default:
        throw new IllegalArgumentException("kallisto.scale=" + chosen
            + " names no scale; allowed: ci, full");
    }
  }

  /**
   * {@code ci} at CI scale, {@code full} at full scale.
   *
   * <pre>{@code int timers = scale.pick(100_000, 1_000_000);}</pre>
   */
  public <T> T pick(T ci, T full) {
    return this == CI ? ci : full;
  }
}
