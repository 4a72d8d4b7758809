package io.kallisto.visualizer.model;

import java.util.Locale;

/**
 * Counts as the side panel shows them: with thousands separators ({@code 439,423}), so that a
 * long figure reads at a glance. Identifiers (request ids, flow ids, fds) are names, not
 * figures, and are shown as they are recorded, so that they can be typed into the search.
 */
public final class Figures {
  private Figures() {}

  /** {@code value} with a comma every three digits. */
  public static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
