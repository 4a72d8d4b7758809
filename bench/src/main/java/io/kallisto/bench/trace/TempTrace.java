package io.kallisto.bench.trace;

import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.TraceSummary;
import io.kallisto.trace.Tracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A tracing session into a file of its own, for one benchmark trial or iteration: {@link #start}
 * turns tracing on, {@link #close} turns it off and deletes the file.
 *
 * <pre>{@code
 * TempTrace trace = TempTrace.start("pingpong");   // in @Setup
 * ...
 * trace.close();                                   // in @TearDown
 * }</pre>
 *
 * <p><b>Note:</b> a thread that records faster than the session's writer drains gets fresh
 * buffers without limit, so a benchmark that records in a tight loop must pace itself with a
 * {@link Pacer}, outside its measured time, or it fills the heap.
 */
public final class TempTrace implements AutoCloseable {
  private final Path file;
  private boolean closed;
  private TraceSummary summary;

  private TempTrace(Path file) {
    this.file = file;
  }

  /**
   * Starts tracing into a new temporary file named after {@code what}.
   *
   * @throws IllegalStateException if another session is recording
   */
  static TempTrace start(String what) {
    Path file;
    try {
      file = Files.createTempFile("kallisto-bench-" + what + "-", ".ktrace");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary trace file", e);
    }
    file.toFile().deleteOnExit(); // a failed benchmark may skip its @TearDown
    return start(file, TraceOptions.defaults().scenario("bench " + what));
  }

  /**
   * For a {@code @Param("tracing")} value: starts tracing for {@code "on"}, returns
   * {@code null} for {@code "off"}.
   */
  public static TempTrace startIf(String tracing, String what) {
    switch (tracing) {
      case "on":
        return start(what);
      case "off":
        return null;
      default:
        throw new IllegalArgumentException("tracing=" + tracing + " is unknown; use on or off");
    }
  }

  /** Starts tracing into {@code file}, which {@link #close} deletes. */
  private static TempTrace start(Path file, TraceOptions options) {
    Tracing.start(file, options);
    return new TempTrace(file);
  }

  /** The file being written. */
  Path file() {
    return file;
  }

  /** What the session wrote (events, dropped records) once {@link #close} stopped it; else null. */
  public TraceSummary summary() {
    return summary;
  }

  /** Stops tracing and deletes the file. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      summary = Tracing.stop();
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file, e);
      }
    }
  }

  /**
   * Keeps recording threads from running too far ahead of the session's writer: after each
   * chunk of records, a thread waits until the file (the temporary one the session writes, see
   * {@code TraceSession.writingTo}) holds all but {@code lagRecords} of the
   * records made so far by every thread. The file size stands for the records drained (32 bytes
   * each, plus a few hundred bytes of header and 36 per block, which only shortens the wait).
   *
   * <p><b>Note:</b> a thread never waits while its current buffer is exactly full. The session's
   * writer recycles a full buffer even while it is still its thread's current one
   * ({@code TraceSession.flush}); the thread's next record then goes into a pooled buffer and,
   * once that buffer is handed out again, fails with {@code ArrayIndexOutOfBoundsException}.
   * Waiting at that moment would trigger it every time; see BENCHMARKS.md, "Tracing".
   */
  static final class Pacer {
    /** Records per trace buffer ({@code TraceBuffer.RECORDS}, package-private in the engine). */
    static final int BUFFER_RECORDS = 2048;

    private final Path file;
    private final long lagRecords;
    private final AtomicLong recorded = new AtomicLong();

    Pacer(Path file, long lagRecords) {
      this.file = file;
      this.lagRecords = lagRecords;
    }

    /**
     * Counts {@code count} more records by the calling thread, whose own total in the session
     * is now {@code threadTotal}, and waits (at most 60 s) if the writer is too far behind.
     */
    void recorded(long count, long threadTotal) {
      long wanted = (recorded.addAndGet(count) - lagRecords) * 32;
      if (threadTotal % BUFFER_RECORDS == 0) {
        return; // see the class comment
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (size() < wanted) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("trace writer did not catch up within 60 s: file "
              + size() + " bytes, expected at least " + wanted);
        }
        LockSupport.parkNanos(50_000);
      }
    }

    private long size() {
      // While tracing, the blocks go to a temporary file beside the trace's, renamed at stop().
      io.kallisto.trace.TraceSession session = Tracing.activeSession();
      Path writing = session != null && session.path().equals(file) ? session.writingTo() : file;
      try {
        return Files.size(writing);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stat " + file, e);
      }
    }
  }
}
