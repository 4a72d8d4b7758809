package io.kallisto.run;

import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenario.LoopMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a scenario would take from the machine, estimated from its fields before anything runs:
 * heap, direct memory, memory in all, threads, and cores for its timer storm. Each is a sum of
 * {@link Term}s that name the fields driving them. A {@link ResourceBudget} compares the sums
 * with a share of {@link MachineLimits}.
 *
 * <p>The per-item costs are measured, not derived (JDK 17, compressed oops, this project's
 * engine; docs/scenarios.md, "The resource budget", says how): a timer storm's timer, a
 * connection's objects and buffers, a loop's statistics, a second of timer callbacks on a core.
 */
public final class ResourceEstimate {
  /** Heap per armed storm timer: measured 105 to 109 bytes (100,000 and 1,000,000 timers). */
  static final long TIMER_BYTES = 112;
  /** Heap per connection, both ends: measured 2.0 KB (simulated, 100,000) to 2.5 KB (real). */
  static final long CONNECTION_BYTES = 2560;
  /** Direct memory per real connection: each end's 64 KiB read buffer and 16 KiB send queue. */
  static final long CONNECTION_DIRECT_BYTES = 2 * (64 + 16) * 1024;
  /** Heap per event loop (its statistics' histograms): measured 236 KB a worker at 128. */
  static final long LOOP_BYTES = 256 * 1024;
  /** Timer callbacks a second one loop runs on one core: measured 4.0 million (one loop). */
  static final long TIMER_CALLBACKS_PER_CORE = 4_000_000;
  /** Open loop: requests that may be in flight, as this much of the arrivals (a stalled server). */
  static final double OPEN_LOOP_SECONDS_IN_FLIGHT = 1.0;
  /** Requests a client connection queues at most in open loop (ClientConnection). */
  static final int MAX_OUTSTANDING = 1 << 16;
  /** Threads of the JVM's own besides one per core: measured 22 on 2 cores. */
  static final int JVM_THREADS = 32;
  /** The trace's buffer memory at most: TraceOptions' default cap. */
  static final long TRACE_BUFFER_CAP = 256L << 20;

  /** What an estimate is of. */
  public enum Resource {
    HEAP("of heap"),
    DIRECT("of direct memory"),
    MEMORY("of memory (heap, direct memory and thread stacks)"),
    THREADS(""),
    CORES("for timer callbacks");

    private final String phrase;

    Resource(String phrase) {
      this.phrase = phrase;
    }

    /** What follows an amount of it in a message: "of heap" (2.7 GiB of heap). */
    public String phrase() {
      return phrase;
    }
  }

  /**
   * One part of an estimate.
   *
   * @param resource what it uses
   * @param amount how much: bytes, threads or cores
   * @param what what uses it, e.g. "the timer storm"
   * @param formula the fields that drive it, with their values, e.g. "workers 256 x
   *     timers.perWorker 100,000 x 112 B"
   * @param knobs the fields {@code --force} may lower to shrink it, first choice first
   */
  public record Term(Resource resource, double amount, String what, String formula,
      List<Knob> knobs) {}

  private final List<Term> terms = new ArrayList<>();

  private ResourceEstimate() {}

  /** The estimate for {@code s} on {@code machine}, traced when {@code traced}. */
  public static ResourceEstimate of(Scenario s, MachineLimits machine, boolean traced) {
    ResourceEstimate e = new ResourceEstimate();
    boolean real = s.engine() == Scenario.Engine.REAL;
    Scenario.Workload w = s.workload();
    long conns = w.connections();
    long frame = RequestFrameDescriptor.HEADER + (long) w.payloadBytes();
    long perConn = inFlightPerConnection(s);
    double inFlight = (double) conns * perConn * frame;
    String frameText = "(workload.payloadBytes " + count(w.payloadBytes()) + " + "
        + RequestFrameDescriptor.HEADER + ") B";
    List<Knob> inFlightKnobs = w.loop() == LoopMode.CLOSED
        ? List.of(Knob.OUTSTANDING, Knob.PAYLOAD, Knob.CONNECTIONS)
        : List.of(Knob.RATE, Knob.PAYLOAD, Knob.CONNECTIONS);
    String inFlightText = (w.loop() == LoopMode.CLOSED
        ? "workload.connections " + count(conns) + " x workload.outstanding "
            + count(w.outstanding())
        : "workload.rate " + count((long) w.rate()) + " a second x "
            + OPEN_LOOP_SECONDS_IN_FLIGHT + " s (at most " + count(MAX_OUTSTANDING)
            + " a connection)") + " x " + frameText;

    // Heap
    long timers = (long) s.workers() * s.timers().perWorker();
    e.add(Resource.HEAP, timers * (double) TIMER_BYTES, "the timer storm", "workers "
        + count(s.workers()) + " x timers.perWorker " + count(s.timers().perWorker()) + " x "
        + TIMER_BYTES + " B", List.of(Knob.TIMERS));
    // Simulated messages are copies held in the network as well as in the frame buffers.
    double heapCopies = real ? 1 : 1.5;
    e.add(Resource.HEAP, inFlight * heapCopies, "the requests in flight", inFlightText
        + (real ? "" : " x 1.5"), inFlightKnobs);
    long connBytes = CONNECTION_BYTES + 3 * powerOfTwo(frame) + 24 * powerOfTwo(Math.max(16,
        perConn));
    e.add(Resource.HEAP, conns * (double) connBytes, "the connections", "workload.connections "
        + count(conns) + " x " + bytes(connBytes) + " (objects, frame buffers for "
        + frameText + ", the in-flight ring)", List.of(Knob.CONNECTIONS, Knob.PAYLOAD));
    long loops = loops(s);
    e.add(Resource.HEAP, loops * (double) LOOP_BYTES, "the event loops", count(loops)
        + " loops (workers " + count(s.workers()) + ", load threads, main, watchdog) x "
        + bytes(LOOP_BYTES), List.of(Knob.WORKERS));
    if (traced) {
      e.add(Resource.HEAP, traceBufferMemory(machine.maxHeap()), "the trace's buffers",
          "tracing: at most " + bytes(traceBufferMemory(machine.maxHeap()))
              + " (256 MiB, or an eighth of the maximum heap)", List.of());
    }
    // Direct memory: only real connections use it.
    if (real) {
      e.add(Resource.DIRECT, conns * (double) CONNECTION_DIRECT_BYTES, "the connections",
          "workload.connections " + count(conns) + " x " + bytes(CONNECTION_DIRECT_BYTES)
              + " (each end's read buffer and send queue)", List.of(Knob.CONNECTIONS));
      e.add(Resource.DIRECT, inFlight, "the requests in flight", inFlightText, inFlightKnobs);
    }
    // Threads
    long threads = threads(s, traced) + JVM_THREADS + machine.cores();
    List<Knob> threadKnobs = real ? List.of(Knob.WORKERS) : List.of();
    e.add(Resource.THREADS, threads, "the threads", real ? "workers " + count(s.workers())
        + " (a loop each), load threads, main, watchdog, and the JVM's own" : "the simulation's one thread and the JVM's own", threadKnobs);
    // Memory in all: heap and direct, and every thread's stack.
    for (Term t : new ArrayList<>(e.terms)) {
      if (t.resource() == Resource.HEAP || t.resource() == Resource.DIRECT) {
        e.add(Resource.MEMORY, t.amount(), t.what(), t.formula(), t.knobs());
      }
    }
    e.add(Resource.MEMORY, threads * (double) machine.stackBytes(), "the thread stacks",
        count(threads) + " threads x " + bytes(machine.stackBytes()), threadKnobs);
    // Cores: a real storm's callbacks, each loop at most one core (a loop is one thread).
    if (real && s.timers().perWorker() > 0) {
      double perSecond = s.timers().perWorker() * 1e9 / s.timers().interval().toNanos();
      double perLoop = Math.min(1, perSecond / TIMER_CALLBACKS_PER_CORE);
      e.add(Resource.CORES, s.workers() * perLoop, "the timer storm", "workers "
          + count(s.workers()) + " x timers.perWorker " + count(s.timers().perWorker())
          + " every timers.interval " + io.kallisto.scenario.Durations.format(
              s.timers().interval()) + ", at " + count(TIMER_CALLBACKS_PER_CORE)
          + " callbacks a second a core, at most one core a loop", List.of(Knob.TIMERS));
    }
    return e;
  }

  /** The trace buffer memory a scenario run allows on a heap of {@code maxHeap} bytes. */
  public static long traceBufferMemory(long maxHeap) {
    return Math.max(64 * 1024, Math.min(TRACE_BUFFER_CAP, maxHeap / 8));
  }

  /** The sum for {@code r}. */
  public double total(Resource r) {
    double sum = 0;
    for (Term t : terms) {
      if (t.resource() == r) {
        sum += t.amount();
      }
    }
    return sum;
  }

  /** The terms for {@code r}, largest first. */
  public List<Term> terms(Resource r) {
    List<Term> out = new ArrayList<>();
    for (Term t : terms) {
      if (t.resource() == r) {
        out.add(t);
      }
    }
    out.sort(Comparator.comparingDouble(Term::amount).reversed());
    return Collections.unmodifiableList(out);
  }

  private void add(Resource r, double amount, String what, String formula, List<Knob> knobs) {
    terms.add(new Term(r, amount, what, formula, knobs));
  }

  /** Requests one connection may have in flight: its outstanding, or a second of arrivals. */
  static long inFlightPerConnection(Scenario s) {
    Scenario.Workload w = s.workload();
    if (w.loop() == LoopMode.CLOSED) {
      return w.outstanding();
    }
    double perConn = w.rate() * OPEN_LOOP_SECONDS_IN_FLIGHT / w.connections();
    return (long) Math.min(MAX_OUTSTANDING, Math.max(1, Math.ceil(perConn)));
  }

  /** Event loops: workers, load threads, main, watchdog, and the acceptor if any. */
  static long loops(Scenario s) {
    return s.workers() + Math.min(s.loadThreads(), s.workload().connections()) + 2
        + (s.listener().mode() == Scenario.ListenerMode.SINGLE_ACCEPTOR ? 1 : 0);
  }

  /**
   * The run's own threads: for a real run, each loop and the helpers. (The pool's stop posts
   * each worker's exit from the calling thread, so stopping makes no threads.)
   */
  static long threads(Scenario s, boolean traced) {
    if (s.engine() != Scenario.Engine.REAL) {
      return 2; // the simulation's thread and the caller
    }
    // + the run thread, the teardown thread, the trace writer
    return loops(s) + 2 + (traced ? 1 : 0);
  }

  private static long powerOfTwo(long n) {
    return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
  }

  /** {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 3.0 GiB}, {@code 112 B}. */
  public static String bytes(double n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (n >= 1024 && u < units.length - 1) {
      n /= 1024;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%.0f B", n)
        : String.format(Locale.ROOT, "%.1f %s", n, units[u]);
  }
}
