package io.kallisto.notebook.kernel;

import java.util.concurrent.CountDownLatch;

/** Latches that test cells count down, so a test knows a cell is running without sleeping. */
public final class CellSignals {
  /** Counted down by the runaway cell once it runs. */
  public static volatile CountDownLatch started = new CountDownLatch(1);

  private CellSignals() {}
}
