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
