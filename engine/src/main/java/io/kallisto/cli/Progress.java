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
    long now = System.nanoTime();
    if (lastDraw != Long.MIN_VALUE && now - lastDraw < redrawNanos) {
      return;
    }
    lastDraw = now;
    draw(done, false);
  }

  /** Shows the final state and ends the line. */
  public void finish(long done) {
    draw(done, true);
  }

  private void draw(long done, boolean last) {
    int filled = (int) Math.min(WIDTH, WIDTH * done / total);
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    String line = String.format(Locale.ROOT, "%-10s [%s] %3d%%  %,d/%,d", label, bar,
        100 * Math.min(done, total) / total, done, total);
    if (terminal) {
      out.print("\r" + line + (last ? System.lineSeparator() : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }
}
