package io.kallisto.visualizer;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.event.WorkerPool;
import io.kallisto.threadlocal.Slot;
import io.kallisto.threadlocal.ThreadLocalInstance;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.NamedTask;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceEnd;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.TraceSession;
import io.kallisto.trace.Tracing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Traces for the tests, all written by the engine's own tracing: the engine's golden fixture, a
 * real run of a worker pool, and synthetic traces on a virtual clock whose records (and so whose
 * pixels and statistics) are known exactly.
 */
public final class TestTraces {
  /** Posts the real run dispatches. */
  public static final int REAL_POSTS = 300;

  private TestTraces() {}

  /** The engine's committed version 1 fixture: two threads, one record of every type. */
  public static Path fixture() {
    Path p = Path.of(System.getProperty("user.dir")).resolve(
        "../engine/src/test/resources/traces/v1-small.ktrace").normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("the engine's fixture is missing: " + p);
    }
    return p;
  }

  /**
   * Records a real run into {@code file}: a two-worker pool takes {@value #REAL_POSTS} posts
   * labelled {@code request} (every tenth {@code slow request}), worker 0 fires a 1 ms timer, a
   * slot update goes to both workers, and the test thread marks the push. Waits on latches.
   */
  public static Path realRun(Path file) throws InterruptedException {
    Tracing.start(file, TraceOptions.defaults().scenario("visualizer test run"));
    WorkerPool pool = WorkerPool.create(2);
    pool.start();
    try (Dispatcher main = Dispatchers.create("main")) {
      ThreadLocalInstance tls = ThreadLocalInstance.create();
      tls.registerThread(main, true);
      for (int i = 0; i < pool.size(); i++) {
        tls.registerThread(pool.worker(i).dispatcher(), false);
      }
      Slot<String> slot = tls.allocateSlot();
      slot.set(d -> "v1");
      CountDownLatch ran = new CountDownLatch(REAL_POSTS);
      for (int i = 0; i < REAL_POSTS; i++) {
        boolean slow = i % 10 == 0;
        pool.dispatch(NamedTask.of(slow ? "slow request" : "request", () -> {
          if (slow) {
            long end = System.nanoTime() + 20_000;
            while (System.nanoTime() < end) {
              Thread.onSpinWait();
            }
          }
          ran.countDown();
        }));
      }
      ran.await();
      Dispatcher worker = pool.worker(0).dispatcher();
      CountDownLatch fired = new CountDownLatch(1);
      worker.post(() -> worker.createTimer(fired::countDown).enable(Duration.ofMillis(1)));
      fired.await();
      Tracing.mark("config push");
      slot.runOnAllThreads(v -> { }, main::exit);
      main.run(RunType.RUN_UNTIL_EXIT);
      tls.shutdownGlobalThreading();
      tls.shutdownThread();
    } finally {
      pool.stop();
      Tracing.stop();
    }
    return file;
  }

  /** Records of one synthetic thread, with exact virtual times. */
  public static final class Recorder {
    private final ThreadTrace t;
    private final TraceSession s;

    Recorder(ThreadTrace t) {
      this.t = t;
      this.s = t.session();
    }

    public Recorder poll(long start, long duration, boolean blocking) {
      t.record(EventType.POLL, blocking ? 1 : 0, 0, 0, start, duration, 0);
      return this;
    }

    public Recorder work(long start, long duration) {
      t.record(EventType.WORK, 0, 0, 0, start, duration, 0);
      return this;
    }

    public Recorder callback(CallbackKind kind, String label, long start, long duration, long b) {
      t.record(EventType.CALLBACK, kind.code(), 0, s.intern(label), start, duration, b);
      return this;
    }

    public Recorder post(long time, int targetTraceId, boolean wakeup, long flow) {
      t.record(EventType.POST, wakeup ? 1 : 0, 0, targetTraceId, time, 0, flow);
      return this;
    }

    public Recorder counter(String name, long time, long value) {
      t.record(EventType.COUNTER, 0, 0, s.intern(name), time, value, 0);
      return this;
    }

    /** A watchdog's miss (mega: a mega-miss) of the loop of thread {@code stalled}. */
    public Recorder watchdog(String stalled, long time, long late, boolean mega) {
      t.record(EventType.WATCHDOG, mega ? 1 : 0, 0, s.intern(stalled), time, late, 0);
      return this;
    }

    public Recorder mark(String label, long time) {
      t.record(EventType.MARK, 0, 0, s.intern(label), time, 0, 0);
      return this;
    }

    public Recorder span(String label, long start, long duration) {
      t.record(EventType.SPAN, 0, 0, s.intern(label), start, duration, 0);
      return this;
    }

    public Recorder connection(long time, long id, boolean open) {
      t.record(open ? EventType.CONNECTION_OPEN : EventType.CONNECTION_CLOSE, 0, 0, 0, time, id,
          0);
      return this;
    }

    public Recorder requestBegin(long time, long id, int kind) {
      t.record(EventType.REQUEST_BEGIN, 0, kind, 0, time, id, 0);
      return this;
    }

    public Recorder requestEnd(long time, long id) {
      t.record(EventType.REQUEST_END, 0, 0, 0, time, id, 0);
      return this;
    }

    /** A client (load generator) sent request {@code id}. */
    public Recorder clientSend(long time, long id) {
      t.record(EventType.REQUEST_BEGIN, Tracing.CLIENT_SIDE, 0, 0, time, id, 0);
      return this;
    }

    /** A client received the response to request {@code id}. */
    public Recorder clientReceive(long time, long id) {
      t.record(EventType.REQUEST_END, Tracing.CLIENT_SIDE, 0, 0, time, id, 0);
      return this;
    }
  }

  /** Builds a synthetic trace: thread names, in order, with what each records. */
  public static final class Synthetic {
    private final Map<String, Consumer<Recorder>> threads = new LinkedHashMap<>();
    private TraceEnd end;

    public Synthetic thread(String name, Consumer<Recorder> records) {
      threads.put(name, records);
      return this;
    }

    /** Ends the trace with {@code end} (an interrupted run, say) instead of a complete end. */
    public Synthetic end(TraceEnd end) {
      this.end = end;
      return this;
    }

    /** Writes the trace on a virtual clock; each thread records on a thread of its name. */
    public Path write(Path file) throws InterruptedException {
      Tracing.start(file, TraceOptions.defaults().virtualClock(() -> 0).scenario("synthetic"));
      AtomicReference<Throwable> failure = new AtomicReference<>();
      try {
        List<Thread> started = new ArrayList<>();
        for (Map.Entry<String, Consumer<Recorder>> e : threads.entrySet()) {
          Thread t = new Thread(() -> {
            try {
              e.getValue().accept(new Recorder(Tracing.currentThread()));
            } catch (Throwable x) {
              failure.compareAndSet(null, x);
            }
          }, e.getKey());
          t.start();
          t.join(); // one at a time: thread ids follow this order
          started.add(t);
        }
      } finally {
        Tracing.stop(end);
      }
      if (failure.get() != null) {
        throw new IllegalStateException("recording " + file + " failed", failure.get());
      }
      return file;
    }
  }

  /** A new synthetic trace. */
  public static Synthetic synthetic() {
    return new Synthetic();
  }

  /** The {@link #known} trace, cut by SIGTERM at 5,000 ns, 4.4 s into a 30 s run. */
  public static final TraceEnd KNOWN_CUT = TraceEnd.interrupted(5_000, "SIGTERM",
      30_000_000_000L, 4_400_000_000L);

  /** {@link #known}'s records, ending with {@link #KNOWN_CUT}. */
  public static Path knownInterrupted(Path file) throws InterruptedException {
    return knownRecords().end(KNOWN_CUT).write(file);
  }

  /**
   * A long trace of many blocks on a virtual clock: three threads, each 20,000 back-to-back
   * 60 ns callbacks 100 ns apart (two ms, ten blocks of 2,048 records per thread), so that a
   * short range meets only a few blocks.
   */
  public static Path manyBlocks(Path file) throws InterruptedException {
    TraceSession session = Tracing.start(file, TraceOptions.defaults().scenario("long")
        .virtualClock(() -> 0));
    try {
      for (int n = 0; n < 3; n++) {
        int thread = n;
        Thread t = new Thread(() -> {
          ThreadTrace tt = Tracing.currentThread();
          int label = session.intern("callback " + thread);
          for (int i = 0; i < 20_000; i++) {
            tt.record(EventType.CALLBACK, CallbackKind.POST.code(), thread, label, i * 100L, 60,
                i);
          }
        }, "long-" + n);
        t.start(); // one thread at a time: the same file every time
        t.join();
      }
    } finally {
      Tracing.stop();
    }
    return file;
  }

  /**
   * The known trace the pixel and UI tests use, times in ns:
   * <pre>
   * main      work [0, 1000) with post callback "setup" [100, 400); posts at 500 (wakeup, flow
   *           W0) and 600 (avoided, flow W1) to worker-0; mark "go" at 700
   * worker-0  poll wait [0, 2000); work [2000, 6000) with post callbacks "handle A" [2100, 3100)
   *           (flow W0) and "handle B" [3200, 4200) (flow W1), timer "tick" [4500, 5500)
   *           deadline 4000; queue depth 2 at 2000, 0 at 6000; poll wait [6000, 10000)
   * worker-1  poll wait [0, 5000); work [5000, 9000) with file event "read" [5500, 8500) holding
   *           a nested slot update "cfg" [6000, 7000); connection open at 5000, close at 9000;
   *           requests end at 8000 and 8500
   * </pre>
   * W0 and W1 are {@code 7 << 40 | 1} and {@code | 2}: worker-0's dispatcher has trace id 7.
   */
  public static Path known(Path file) throws InterruptedException {
    return knownRecords().write(file);
  }

  private static Synthetic knownRecords() {
    long w0 = 7L << 40 | 1;
    long w1 = 7L << 40 | 2;
    return synthetic()
        .thread("main", r -> r
            .callback(CallbackKind.POST, "setup", 100, 300, 0)
            .post(500, 7, true, w0)
            .post(600, 7, false, w1)
            .mark("go", 700)
            .work(0, 1000))
        .thread("worker-0", r -> r
            .poll(0, 2000, true)
            .counter("queue depth", 2000, 2)
            .callback(CallbackKind.POST, "handle A", 2100, 1000, w0)
            .callback(CallbackKind.POST, "handle B", 3200, 1000, w1)
            .callback(CallbackKind.TIMER, "tick", 4500, 1000, 4000)
            .work(2000, 4000)
            .counter("queue depth", 6000, 0)
            .poll(6000, 4000, true))
        .thread("worker-1", r -> r
            .poll(0, 5000, true)
            .connection(5000, 1, true)
            .callback(CallbackKind.SLOT_UPDATE, "cfg", 6000, 1000, 1)
            .callback(CallbackKind.FILE_EVENT, "read", 5500, 3000, 12)
            .requestEnd(8000, 1)
            .requestEnd(8500, 2)
            .work(5000, 4000)
            .connection(9000, 1, false));
  }

  /**
   * Records {@code kallisto run head-of-line-blocking} on the real engine for 300 ms into
   * {@code file}: two workers, a load generator, one request in four sleeping 20 ms.
   */
  public static Path headOfLine(Path file) {
    return headOfLine(file, Duration.ofMillis(300));
  }

  /** As {@link #headOfLine(Path)}, for {@code length}. */
  public static Path headOfLine(Path file, Duration length) {
    return headOfLine(file, length, io.kallisto.scenario.Scenario.Engine.REAL);
  }

  private static Path headOfLine(Path file, Duration length,
      io.kallisto.scenario.Scenario.Engine engine) {
    io.kallisto.scenario.Scenario s = io.kallisto.scenario.Scenarios.load("head-of-line-blocking")
        .withDuration(length)
        .withEngine(engine);
    new io.kallisto.run.ScenarioRunner().run(s, file, "test", (e, d, n) -> { });
    return file;
  }

  /**
   * Head-of-line blocking in miniature, times in ns:
   * <pre>
   * worker-0  poll wait [0, 200); work [200, 22000) with file event "read" [200, 21000) holding
   *           sleep request 1 [300, 20300), and "read" [21000, 21800) holding echo request 2
   *           [21100, 21500); poll wait [22000, 30000)
   * load-0    sends 1 at 100 and 2 at 1000; receives 1 at 20500 and 2 at 21700; sends 3 at
   *           29000, never answered
   * </pre>
   * Request 2 waits 20 µs on worker-0, 19.3 µs of it behind sleep request 1.
   */
  public static Path blocked(Path file) throws InterruptedException {
    return synthetic()
        .thread("worker-0", r -> r
            .poll(0, 200, true)
            .requestBegin(300, 1, 2)
            .requestEnd(20300, 1)
            .callback(CallbackKind.FILE_EVENT, "read", 200, 20800, 12)
            .requestBegin(21100, 2, 0)
            .requestEnd(21500, 2)
            .callback(CallbackKind.FILE_EVENT, "read", 21000, 800, 12)
            .work(200, 21800)
            .poll(22000, 8000, true))
        .thread("load-0", r -> r
            .clientSend(100, 1)
            .clientSend(1000, 2)
            .clientReceive(20500, 1)
            .clientReceive(21700, 2)
            .clientSend(29000, 3))
        .write(file);
  }

  /**
   * Records 300 ms of {@code head-of-line-blocking} on the simulated engine, which serves the
   * same requests in every run whatever the machine's load (a real run on a crowded machine may
   * spend its 300 ms starting up and serve no sleep at all).
   */
  public static Path simulatedHeadOfLine(Path file) {
    return headOfLine(file, Duration.ofMillis(300), io.kallisto.scenario.Scenario.Engine.SIMULATED);
  }

  /** Copies {@code from} to {@code to} cut to its first {@code bytes} bytes. */
  public static Path truncated(Path from, Path to, long bytes) throws IOException {
    byte[] all = Files.readAllBytes(from);
    Files.write(to, java.util.Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
    return to;
  }
}
