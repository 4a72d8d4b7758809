package io.kallisto.notebook.kernel;

import io.github.spencerpark.jupyter.messages.MessageContext;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One execution of a cell: the token that ties to it the threads it starts (through the kernel's
 * inheritable thread-local), the loops they create, what they print, and whether Interrupt stopped
 * it. A cell's later snippets, and a stale force-stop, compare against this object, never against
 * a thread: the cell thread is long-lived and runs every cell.
 *
 * <p>{@link #number} and {@link #parent} are fixed at creation. The stop flag and the stop report
 * are safe from any thread; the execution totals are written and read on the shell thread.
 */
final class CellRun {
  /** The execution count, as the notebook shows it ({@code [7]}). */
  final int number;
  /** The execute request, the parent of every message about this cell; null in process. */
  final MessageContext parent;
  /** What this cell's threads wrote and not yet sent; each guards itself. */
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private volatile long stopRequestedAt; // System.nanoTime() of the first Interrupt, 0 if none
  private final Object reportLock = new Object();
  private final List<String> report = new ArrayList<>(); // guarded by reportLock
  /** Opens once whatever handles the Interrupt has added its lines to the report. */
  private final CountDownLatch reportDone = new CountDownLatch(1);

  // Execution totals over the cell's snippets: shell thread only.
  private long executionNanos;
  private long threadCpuNanos;
  private long processCpuNanos;

  CellRun(int number, MessageContext parent) {
    this.number = number;
    this.parent = parent;
  }

  /** Marks the cell as interrupted; true the first time only. Safe from any thread. */
  synchronized boolean requestStop() {
    if (stopRequestedAt != 0) {
      return false;
    }
    stopRequestedAt = Math.max(1, System.nanoTime());
    return true;
  }

  /** Whether Interrupt reached this cell. Safe from any thread. */
  boolean stopRequested() {
    return stopRequestedAt != 0;
  }

  /** When Interrupt reached this cell, on {@link System#nanoTime()}'s clock; 0 if it did not. */
  long stopRequestedAt() {
    return stopRequestedAt;
  }

  /** Adds a line to what the interrupted cell reports. Safe from any thread. */
  void report(String line) {
    synchronized (reportLock) {
      report.add(line);
    }
  }

  /** Says that the Interrupt's clean-up has reported. Safe from any thread. */
  void reportDone() {
    reportDone.countDown();
  }

  /**
   * The report lines, once the clean-up has reported or {@code deadlineNanos} (a
   * {@link System#nanoTime()} value) has passed, whichever comes first.
   */
  List<String> awaitReport(long deadlineNanos) {
    boolean interrupted = false;
    while (true) {
      try {
        reportDone.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (reportLock) {
      return List.copyOf(report);
    }
  }

  /** Adds one snippet's execution window. Shell thread. */
  void addExecution(long nanos, long threadCpu, long processCpu) {
    executionNanos += nanos;
    threadCpuNanos += threadCpu;
    processCpuNanos += processCpu;
  }

  /** Wall time inside the snippets' execution windows. Shell thread. */
  long executionNanos() {
    return executionNanos;
  }

  /** CPU time of the thread that ran the snippets, inside their windows. Shell thread. */
  long threadCpuNanos() {
    return threadCpuNanos;
  }

  /** CPU time of the whole JVM inside the snippets' windows. Shell thread. */
  long processCpuNanos() {
    return processCpuNanos;
  }

  @Override
  public String toString() {
    return "cell [" + number + "]";
  }
}
