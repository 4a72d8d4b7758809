package io.kallisto.trace;

import java.nio.file.Path;
import java.util.Locale;

/** What a finished trace session wrote. */
public final class TraceSummary {
  private final Path path;
  private final long events;
  private final long bytes;
  private final int threads;
  private final long dropped;

  TraceSummary(Path path, long events, long bytes, int threads, long dropped) {
    this.path = path;
    this.events = events;
    this.bytes = bytes;
    this.threads = threads;
    this.dropped = dropped;
  }

  /**
   * Records dropped because recording outran the disk by more than the session's buffer memory
   * ({@link TraceOptions#maxBufferMemory}, 256 MiB by default), or, for a run cut short, because
   * they were still unwritten {@value TraceSession#CUT_FLUSH_MILLIS} ms after the cut. Zero in
   * any ordinary run.
   */
  public long dropped() {
    return dropped;
  }

  /** The trace file. */
  public Path path() {
    return path;
  }

  /** Event records written. */
  public long events() {
    return events;
  }

  /** Bytes written, header included. */
  public long bytes() {
    return bytes;
  }

  /** Threads that recorded at least one event. */
  public int threads() {
    return threads;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s: %,d events from %d threads, %,d bytes%s", path, events,
        threads, bytes, dropped == 0 ? ""
            : String.format(Locale.ROOT, " (%,d dropped: recording outran the disk)", dropped));
  }
}
