package io.kallisto.bench.trace;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.TraceFileDescriptor;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.TraceSession;
import io.kallisto.trace.Tracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a long trace: {@link TraceFile#open} (which reads and checks every block) and a full
 * {@link TraceFile#forEach}, for a trace of {@value #EVENTS} events. Target: under 2 s.
 *
 * <p>The trace is made once, through a real session: {@value #THREADS} threads record the
 * records a busy loop makes (poll and work slices, post and timer callbacks with labels, posts
 * with flow ids, timer arms, queue-depth counters). It is kept in
 * {@code bench/target/trace-cache/} (or {@code target/trace-cache/} when run from
 * {@code bench/}) and reused while it still opens with exactly {@value #EVENTS} events from this
 * generator; elsewhere it goes to a temporary file deleted after the trial. The file is read
 * from the page cache: this is parsing speed, not disk speed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class TraceLoadBenchmark {
  /** Events in the trace. */
  public static final long EVENTS = 10_000_000;
  /** Recording threads. */
  static final int THREADS = 4;
  /** Names this generator in the file's header, so that a changed generator remakes the file. */
  static final String GENERATOR = "TraceLoadBenchmark/1";
  /** Records per loop iteration in the generated pattern. */
  private static final int CYCLE = 8;
  /** Iterations a thread records between checks on the writer. */
  private static final int CHUNK = 500;
  /** How far the writer may fall behind all threads together: 64 MB of records. */
  private static final long LAG_RECORDS = 2 * 1024 * 1024;

  private Path file;
  private boolean temporary;

  /** A 10M-event trace file, and whether it is a temporary one to delete after the trial. */
  record TraceFile10M(Path file, boolean temporary) {}

  /** Finds the cached trace, or makes it. */
  @Setup(Level.Trial)
  public void prepare() {
    TraceFile10M t = findOrMake();
    file = t.file();
    temporary = t.temporary();
  }

  /**
   * The cached trace of {@value #EVENTS} events, made if missing or stale; a temporary file
   * (deleted on exit) when there is no target directory to cache it in. Also used by the
   * visualizer benchmarks, so that both load the same trace.
   */
  static TraceFile10M findOrMake() {
    Path dir = cacheDir();
    boolean temporary = dir == null;
    Path file;
    try {
      file = temporary ? Files.createTempFile("kallisto-bench-load-", ".ktrace")
          : Files.createDirectories(dir).resolve("load-" + EVENTS / 1_000_000 + "M-v"
              + TraceFileDescriptor.VERSION + ".ktrace");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a place for the trace in " + dir, e);
    }
    if (temporary) {
      file.toFile().deleteOnExit();
    }
    if (!temporary && isUsable(file)) {
      System.out.println("[trace-load] reusing " + file);
      return new TraceFile10M(file, false);
    }
    long start = System.nanoTime();
    generate(file);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!isUsable(file)) {
      throw new IllegalStateException("the generated trace " + file + " does not hold exactly "
          + EVENTS + " readable events");
    }
    System.out.printf(Locale.ROOT, "[trace-load] generated %s: %,d events in %.2f s (%.0f MB/s)%n",
        file, EVENTS, seconds, size(file) / 1e6 / seconds);
    return new TraceFile10M(file, temporary);
  }

  /** Deletes the trace if it was not in the cache. */
  @TearDown(Level.Trial)
  public void cleanUp() throws IOException {
    if (temporary) {
      Files.deleteIfExists(file);
    }
  }

  /** Opens the trace and visits every event; returns how many there were. */
  @Benchmark
  public long load() {
    long[] count = new long[1];
    try (TraceFile trace = TraceFile.open(file)) {
      trace.forEach(e -> count[0]++);
    }
    if (count[0] != EVENTS) {
      throw new IllegalStateException("visited " + count[0] + " events; expected " + EVENTS);
    }
    return count[0];
  }

  /** bench/target or target, whichever the working directory has, or null. */
  private static Path cacheDir() {
    for (String candidate : new String[] {"bench/target", "target"}) {
      Path p = Path.of(candidate);
      if (Files.isDirectory(p)) {
        return p.resolve("trace-cache");
      }
    }
    return null;
  }

  private static boolean isUsable(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (TraceFile trace = TraceFile.open(file)) {
      return trace.damage() == null && trace.eventCount() == EVENTS
          && GENERATOR.equals(trace.header().get("generator"));
    } catch (RuntimeException e) {
      return false; // remade below
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + file, e);
    }
  }

  /** Records {@value #EVENTS} events from {@value #THREADS} threads into {@code file}. */
  private static void generate(Path file) {
    TempTrace.Pacer pacer = new TempTrace.Pacer(file, LAG_RECORDS);
    Tracing.start(file, TraceOptions.defaults().scenario("bench trace load")
        .fact("generator", GENERATOR));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 0; i < THREADS; i++) {
        int index = i;
        Thread t = new Thread(() -> {
          try {
            recordLoop(index, EVENTS / THREADS, pacer);
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }, "worker-" + i);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(TimeUnit.MINUTES.toMillis(5));
        if (t.isAlive()) {
          throw new IllegalStateException(t.getName() + " did not finish recording in 5 min");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating " + file, e);
    } finally {
      Tracing.stop();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("generating " + file + " failed", failure.get());
    }
  }

  /**
   * What one worker loop records, {@code events} records in all: per iteration a poll, two post
   * callbacks, a post to the next worker, a timer callback, a timer arm, a queue-depth counter
   * and the work slice.
   */
  private static void recordLoop(int index, long events, TempTrace.Pacer pacer) {
    ThreadTrace t = Tracing.currentThread();
    TraceSession s = t.session();
    int[] labels = new int[8];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = s.intern("Worker" + index + ".Handler" + i + " lambda");
    }
    int onTimer = s.intern("HealthCheck.Timer");
    int depth = s.intern("queue depth");
    int target = (index + 1) % THREADS;
    long time = s.now();
    long recorded = 0;
    long iteration = 0;
    while (recorded < events) {
      if (recorded + CYCLE > events) {
        // The tail: marks, so that the total is exact.
        t.record(EventType.MARK, 0, 0, labels[0], time++, 0, 0);
        recorded++;
        continue;
      }
      long pollStart = time;
      time += 20_000 + (iteration & 1023) * 13;
      t.record(EventType.POLL, 1, 0, 0, pollStart, time - pollStart, time + 1_000_000);
      long workStart = time;
      for (int c = 0; c < 2; c++) {
        long flow = (long) index << 40 | (iteration * 2 + c);
        t.record(EventType.CALLBACK, CallbackKind.POST.code(), 0,
            labels[(int) ((iteration + c) & 7)], time, 1_500 + c * 300, flow);
        time += 1_800 + c * 300;
      }
      t.record(EventType.POST, (int) (iteration & 1), target, index + 1, time, 0,
          (long) index << 40 | iteration);
      time += 400;
      t.record(EventType.CALLBACK, CallbackKind.TIMER.code(), (int) (iteration & 0xffff),
          onTimer, time, 800, time - 2_000);
      time += 900;
      t.record(EventType.TIMER_ARM, 1, 0, (int) iteration, time, time + 1_000_000, 0);
      t.record(EventType.COUNTER, 0, 0, depth, workStart, 2, 0);
      time += 200;
      t.record(EventType.WORK, 0, 0, 0, workStart, time - workStart, 0);
      recorded += CYCLE;
      iteration++;
      if (iteration % CHUNK == 0) {
        pacer.recorded(CYCLE * CHUNK, recorded);
      }
    }
  }
}
