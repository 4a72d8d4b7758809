package io.kallisto.trace.analysis;

/**
 * Hears how many events a pass over a trace has read, every {@value #EVERY} events, so that a
 * command can show progress without the analysis knowing about terminals.
 */
@FunctionalInterface
public interface ReadProgress {
  /** Events between two calls: often enough for a smooth bar, rarely enough to cost nothing. */
  int EVERY = 1 << 16;

  /** {@code done} events have been read. */
  void read(long done);

  /** Calls {@code progress} (if any) when {@code done} is a multiple of {@link #EVERY}. */
  static void tick(ReadProgress progress, long done) {
    if (progress != null && (done & (EVERY - 1)) == 0) {
      progress.read(done);
    }
  }
}
