package io.kallisto.notebook.kernel;

import java.util.concurrent.CountDownLatch;

/**
 * What test cells and tests share, so that a test knows what a cell is doing without sleeping:
 * cells name these by their full name ({@code io.kallisto.notebook.kernel.CellSignals.started}).
 */
public final class CellSignals {
  /** Counted down by a cell (or its loop) once it runs what the test waits for. */
  public static volatile CountDownLatch started = new CountDownLatch(1);
  /** Counted down by the test to let a cell's thread go on. */
  public static volatile CountDownLatch go = new CountDownLatch(1);
  /** Counted down by a cell's thread when it has done what the test checks. */
  public static volatile CountDownLatch done = new CountDownLatch(1);
  /** An object a cell hands to the test, such as its dispatcher. */
  public static volatile Object handed;
  /** A {@link System#nanoTime()} deadline the test hands to a cell. */
  public static volatile long until;

  private CellSignals() {}

  /** Fresh latches and nothing handed, before a test's cells run. */
  public static void reset() {
    started = new CountDownLatch(1);
    go = new CountDownLatch(1);
    done = new CountDownLatch(1);
    handed = null;
    until = 0;
  }
}
