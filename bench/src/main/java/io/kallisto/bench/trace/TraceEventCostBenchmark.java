package io.kallisto.bench.trace;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.Tracing;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one trace event costs the thread that records it, and what a recording site costs when
 * tracing is off. Target (from the issue): at most 30 ns per event.
 *
 * <ul>
 *   <li>{@code record}: {@link ThreadTrace#record} with tracing on, {@value #BATCH} callback
 *       records per invocation into a session whose writer drains them to a temporary file.
 *   <li>{@code recordingSite}: the same, through the site pattern of {@code post()}:
 *       {@code Tracing.isEnabled()}, {@code Tracing.currentThread()} (a thread-local lookup),
 *       then {@code record}.
 *   <li>{@code disabledSite}: that site pattern with tracing off: a volatile read and a branch.
 * </ul>
 *
 * <p>A thread records far faster than the writer can drain, and the session hands out fresh
 * buffers without limit, so after invocations (outside the measured time) the benchmark waits
 * until the writer is at most {@value #LAG_RECORDS} records behind. What is measured is the
 * recording thread's own cost, buffer changes included; the writer runs on the other CPU.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TraceEventCostBenchmark {
  /** Records per measured invocation: about two trace buffers. */
  static final int BATCH = 4000;
  /** How far the writer may fall behind before the next invocation waits: 4 MB of records. */
  static final int LAG_RECORDS = 128 * 1024;

  /**
   * A session per iteration, so that the file (about 150 MB per iteration in a smoke run) never
   * holds more than one.
   */
  @State(Scope.Thread)
  public static class On {
    TempTrace trace;
    TempTrace.Pacer pacer;
    ThreadTrace thread;
    long recorded;
    long time;

    /** Starts tracing and registers the benchmark thread. */
    @Setup(Level.Iteration)
    public void start() {
      trace = TempTrace.start("event-cost");
      pacer = new TempTrace.Pacer(trace.file(), LAG_RECORDS);
      thread = Tracing.currentThread();
      recorded = 0;
    }

    /**
     * Keeps the writer's backlog bounded; not measured. Between invocations the thread's buffer
     * must not be exactly full (see {@link TempTrace.Pacer}): when it is, one mark is added.
     */
    @TearDown(Level.Invocation)
    public void pace() {
      int count = BATCH;
      if ((recorded + count) % TempTrace.Pacer.BUFFER_RECORDS == 0) {
        thread.record(EventType.MARK, 0, 0, 0, time, 0, 0);
        count++;
      }
      recorded += count;
      pacer.recorded(count, recorded);
    }

    /** Stops tracing and deletes the file. */
    @TearDown(Level.Iteration)
    public void stop() {
      trace.close();
    }
  }

  /** {@link ThreadTrace#record} alone: the calling thread's cost of one event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void record(On on) {
    ThreadTrace t = on.thread;
    long time = on.time;
    for (int i = 0; i < BATCH; i++) {
      time += 100;
      t.record(EventType.CALLBACK, CallbackKind.POST.code(), 0, 7, time, 40, time);
    }
    on.time = time;
  }

  /** The dispatcher's recording site, tracing on: check, thread-local lookup, record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void recordingSite(On on) {
    on.time = sites(on.time);
  }

  /** The dispatcher's recording site with tracing off. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void disabledSite(Off off) {
    off.time = sites(off.time);
  }

  /** Tracing off: nothing to start. Checks that nobody left a session recording. */
  @State(Scope.Thread)
  public static class Off {
    long time;

    /** Fails if tracing is on, which would make the figure meaningless. */
    @Setup(Level.Trial)
    public void check() {
      if (Tracing.isEnabled()) {
        throw new IllegalStateException("tracing is on; disabledSite needs it off");
      }
    }
  }

  /** {@value #BATCH} recording sites, with times from {@code time} on; returns the last. */
  private static long sites(long time) {
    for (int i = 0; i < BATCH; i++) {
      time += 100;
      site(time);
    }
    return time;
  }

  /** As {@code AbstractDispatcher.post} records. */
  private static void site(long time) {
    if (Tracing.isEnabled()) {
      ThreadTrace t = Tracing.currentThread();
      if (t != null) {
        t.record(EventType.POST, 0, 0, 3, time, 0, time);
      }
    }
  }
}
