package io.kallisto.notebook.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code System.out} and {@code System.err} for the kernel's whole life, sending what a thread
 * writes to the cell that thread belongs to: the cell it was started by (directly, or by an
 * executor, worker or pool that cell made), which the kernel's inheritable thread-local carries.
 * So a worker that prints after its cell ended shows under that cell, not under whichever cell
 * runs now. Threads of no cell (the kernel's own, and fork-join pool threads, which every cell
 * shares) write to the cell running now, or to the kernel's own output between cells.
 *
 * <p>Text is buffered per cell and stream, and sent on a line end ({@code println}), on
 * {@code flush()}, when 8 KiB pile up, at the end of the cell ({@link #flush(CellRun)}) and by
 * the kernel's monitor ({@link #flushAll()}) for text left without a line end.
 *
 * <p>Every method is safe from any thread.
 */
final class OutputRouter {
  /** Where a cell's text goes. */
  interface Sink {
    /** Sends {@code text} to {@code stream} ("stdout" or "stderr") of {@code run}'s cell. */
    void stream(CellRun run, String stream, String text);
  }

  private static final int FLUSH_BYTES = 8192;

  private final Supplier<CellRun> threadCell;
  private final Sink sink;
  private final PrintStream fallbackOut;
  private final PrintStream fallbackErr;
  private final Set<CellRun> pending = ConcurrentHashMap.newKeySet();
  private volatile CellRun current;
  /** The streams to install as System.out and System.err. */
  final PrintStream out;
  final PrintStream err;

  /**
   * @param threadCell the cell the calling thread belongs to, or null
   * @param fallbackOut where text of no cell goes between cells (the kernel's own stdout)
   * @param fallbackErr the same for stderr
   */
  OutputRouter(Supplier<CellRun> threadCell, Sink sink, PrintStream fallbackOut,
      PrintStream fallbackErr) {
    this.threadCell = threadCell;
    this.sink = sink;
    this.fallbackOut = fallbackOut;
    this.fallbackErr = fallbackErr;
    this.out = new PrintStream(new Routed(false), true, StandardCharsets.UTF_8);
    this.err = new PrintStream(new Routed(true), true, StandardCharsets.UTF_8);
  }

  /** The cell now running, which gets the text of threads of no cell; null between cells. */
  void setCurrent(CellRun run) {
    current = run;
  }

  /** The cell the calling thread writes to: its own, else the running one, else null. */
  CellRun route() {
    CellRun run = threadCell.get();
    return run != null ? run : current;
  }

  /** Sends what {@code run}'s threads wrote and was not sent yet. */
  void flush(CellRun run) {
    out.flush();
    err.flush();
    send(run, false);
    send(run, true);
  }

  /** Sends every cell's pending text (text written without a line end). */
  void flushAll() {
    for (CellRun run : pending) {
      pending.remove(run);
      send(run, false);
      send(run, true);
    }
  }

  private void send(CellRun run, boolean toErr) {
    ByteArrayOutputStream buf = toErr ? run.err : run.out;
    // Sent under the buffer's lock, so that two threads of one cell cannot reorder its text.
    synchronized (buf) {
      if (buf.size() == 0) {
        return;
      }
      String text = buf.toString(StandardCharsets.UTF_8);
      buf.reset();
      sink.stream(run, toErr ? "stderr" : "stdout", text);
    }
  }

  /** One of the two routed streams, under a {@link PrintStream} that encodes and autoflushes. */
  private final class Routed extends OutputStream {
    private final boolean toErr;

    Routed(boolean toErr) {
      this.toErr = toErr;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      CellRun run = route();
      if (run == null) {
        (toErr ? fallbackErr : fallbackOut).write(b, off, len);
        return;
      }
      ByteArrayOutputStream buf = toErr ? run.err : run.out;
      boolean full;
      synchronized (buf) {
        buf.write(b, off, len);
        full = buf.size() >= FLUSH_BYTES;
      }
      pending.add(run);
      if (full) {
        send(run, toErr);
      }
    }

    @Override
    public void flush() {
      CellRun run = route();
      if (run == null) {
        (toErr ? fallbackErr : fallbackOut).flush();
      } else {
        send(run, toErr);
      }
    }
  }
}
