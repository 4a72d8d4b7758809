package io.kallisto.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on a terminal, or a line every few seconds when output is a file or a pipe, so
 * that long work is never silent and logs stay readable. Call {@link #update} as often as you
 * like; it redraws at most ten times a second.
 */
public final class Progress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final long total;
  private final boolean terminal;
  private final long redrawNanos;
  private long lastDraw = Long.MIN_VALUE;
  private int lastLength;

  /** A progress display of {@code total} units on {@code out}, redrawn in place on a terminal. */
  public Progress(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
    this.terminal = System.console() != null;
    this.redrawNanos = terminal ? 100_000_000L : 2_000_000_000L;
  }

  /** Shows {@code done} of the total, unless it was drawn very recently. */
  public void update(long done) {
    update(done, null);
  }

  /**
   * Shows {@code done} of the total with {@code detail} in place of the counts (for example
   * {@code "2.1 s of 5 s, 104,233 responses"}), unless it was drawn very recently.
   */
  public void update(long done, String detail) {
    long now = System.nanoTime();
    if (lastDraw != Long.MIN_VALUE && now - lastDraw < redrawNanos) {
      return;
    }
    lastDraw = now;
    draw(done, detail, false);
  }

  /** Shows the final state and ends the line. */
  public void finish(long done) {
    draw(done, null, true);
  }

  /** Shows the final state with {@code detail} and ends the line. */
  public void finish(long done, String detail) {
    draw(done, detail, true);
  }

  private void draw(long done, String detail, boolean last) {
    int filled = (int) Math.min(WIDTH, WIDTH * done / total);
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    String counts = detail != null ? detail
        : String.format(Locale.ROOT, "%,d/%,d", done, total);
    String line = String.format(Locale.ROOT, "%-10s [%s] %3d%%  %s", label, bar,
        100 * Math.min(done, total) / total, counts);
    if (terminal) {
      // Blank out what a longer previous line left behind.
      String pad = " ".repeat(Math.max(0, lastLength - line.length()));
      lastLength = line.length();
      out.print("\r" + line + pad + (last ? System.lineSeparator() : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }
}
