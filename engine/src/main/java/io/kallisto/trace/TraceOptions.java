package io.kallisto.trace;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What a trace records besides events: the clock, and the facts written into the header.
 *
 * <pre>{@code
 * Tracing.start(path, TraceOptions.defaults().scenario("baseline-echo").seed(42));
 * }</pre>
 */
public final class TraceOptions {
  private LongSupplier clock = System::nanoTime;
  private boolean virtualClock;
  private long maxBufferMemory = 256L << 20;
  private final Map<String, String> facts = new LinkedHashMap<>();

  private TraceOptions() {}

  /** Real monotonic time, no scenario. */
  public static TraceOptions defaults() {
    return new TraceOptions();
  }

  /**
   * Uses {@code clock} for the session's own timestamps (marks, spans, counters). A simulated
   * run passes its virtual clock, so that the file depends on nothing but the simulation.
   */
  public TraceOptions virtualClock(LongSupplier clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.virtualClock = true;
    return this;
  }

  /** Names the scenario in the header. */
  public TraceOptions scenario(String name) {
    return fact("scenario", name);
  }

  /** Records the random seed in the header. */
  public TraceOptions seed(long seed) {
    return fact("seed", Long.toString(seed));
  }

  /** Records the command line that produced the trace. */
  public TraceOptions command(String command) {
    return fact("command", command);
  }

  /** Adds a header fact. Keys and values are UTF-8 text. */
  public TraceOptions fact(String key, String value) {
    facts.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Caps the memory held in buffers the writer has not drained yet (default 256 MiB). A program
   * that records faster than the disk takes it drops records past the cap, and
   * {@link TraceSummary#dropped()} counts them, instead of growing the heap without bound.
   *
   * @throws IllegalArgumentException below one buffer's 64 KiB
   */
  public TraceOptions maxBufferMemory(long bytes) {
    long min = (long) TraceBuffer.RECORDS * TraceRecordDescriptor.SIZE;
    if (bytes < min) {
      throw new IllegalArgumentException("maxBufferMemory=" + bytes + " is below one buffer ("
          + min + " bytes)");
    }
    this.maxBufferMemory = bytes;
    return this;
  }

  int maxBuffers() {
    return (int) Math.min(Integer.MAX_VALUE,
        maxBufferMemory / ((long) TraceBuffer.RECORDS * TraceRecordDescriptor.SIZE));
  }

  LongSupplier clock() {
    return clock;
  }

  boolean isVirtualClock() {
    return virtualClock;
  }

  Map<String, String> facts() {
    return facts;
  }
}
