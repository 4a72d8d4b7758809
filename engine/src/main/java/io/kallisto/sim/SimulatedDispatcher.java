package io.kallisto.sim;

import io.kallisto.event.AbstractDispatcher;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileTriggerType;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceSession;
import io.kallisto.trace.Tracing;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link io.kallisto.event.Dispatcher} in virtual time: the engine's own loop (posts, timers,
 * statistics, tracing, from {@link AbstractDispatcher}) over a {@link Simulation} instead of
 * epoll. {@link #now()} is the simulation's clock.
 *
 * <p>Two ways to run one:
 * <ul>
 *   <li><b>Driven</b>, made by {@link Simulation#createDispatcher}: the simulation runs one
 *       iteration whenever the loop has work and a core is free; several such dispatchers share
 *       the simulation's Java thread. {@link #isThreadSafe()}, {@code Dispatchers.current()} and
 *       {@code Slot.get()} answer for the dispatcher whose step is running. Calling {@code run()}
 *       on it throws: the simulation runs it.
 *   <li><b>Standalone</b>, made by {@link #create(String)}: a simulation of its own, run by
 *       whichever thread calls {@code run()}, as any dispatcher is. When the loop would block it
 *       jumps the clock to its earliest timer deadline; with no timer pending it really waits for
 *       a post or {@code exit()} from another thread.
 * </ul>
 *
 * <p>Simulated connections ({@link SimNetwork}) are not file descriptors, so
 * {@link #createFileEvent} throws {@link UnsupportedOperationException}.
 *
 * <pre>{@code
 * try (Dispatcher d = SimulatedDispatcher.create("example")) {
 *   d.createTimer(d::exit).enable(Duration.ofHours(1));
 *   d.run(RunType.RUN_UNTIL_EXIT);   // returns at once: d.now() is an hour later
 * }
 * }</pre>
 */
public final class SimulatedDispatcher extends AbstractDispatcher {
  static final int NEW = 0;
  static final int ASLEEP = 1;
  static final int RUNNABLE = 2;
  static final int BUSY = 3;
  static final int EXITED = 4;
  static final long NO_SLEEP = NOT_SLEPT;

  private final Simulation sim;
  private final TimedPostQueue posts;
  /** Simulated I/O due to this loop: (time, callback, events << 32 | fd). */
  private final EventHeap io = new EventHeap();
  private FileReadyCallback[] readyCallbacks = new FileReadyCallback[16];
  private long[] readyData = new long[16];
  private int openStreams;
  private volatile Thread standaloneRunner;
  private ThreadTrace trace;
  private Runnable onExit;

  // Scheduling state: the simulation's thread only.
  int state = NEW;
  long wakeAt = Long.MAX_VALUE;
  long sleptSince;
  long stepSleptSince = NO_SLEEP;
  boolean coreReleased;
  boolean exiting;
  boolean drainsOnExit;
  int drainSteps;

  private SimulatedDispatcher(Simulation sim, String name, int traceId, TimedPostQueue posts) {
    super(name, posts, new SimTimerQueue(sim), traceId);
    this.sim = sim;
    this.posts = posts;
    posts.owner(this);
  }

  static SimulatedDispatcher make(Simulation sim, String name, int traceId) {
    return new SimulatedDispatcher(sim, name, traceId, new TimedPostQueue(sim));
  }

  /**
   * A standalone simulated dispatcher with {@link SimulationCosts#DEFAULT} costs, its clock at
   * 0, run by {@code run()} like any other.
   */
  public static SimulatedDispatcher create(String name) {
    return create(name, SimulationCosts.DEFAULT);
  }

  /** A standalone simulated dispatcher with the given costs. */
  public static SimulatedDispatcher create(String name, SimulationCosts costs) {
    return Simulation.standalone(name, costs).newDispatcher(name);
  }

  /** The simulation this dispatcher lives in. Safe from any thread. */
  public Simulation simulation() {
    return sim;
  }

  // Dispatcher

  @Override
  public long now() {
    return sim.now();
  }

  @Override
  public FileEvent createFileEvent(int fd, FileReadyCallback callback, FileTriggerType trigger,
      int events) {
    throw new UnsupportedOperationException("dispatcher '" + name() + "' is simulated and cannot"
        + " watch fd " + fd + ": simulated connections are not file descriptors; connect"
        + " through io.kallisto.sim.SimNetwork instead");
  }

  // AbstractDispatcher

  @Override
  protected boolean onLoopThread() {
    SimulatedDispatcher r = sim.running();
    if (r != null) {
      return r == this && sim.onSimulationThread();
    }
    return super.onLoopThread();
  }

  @Override
  protected String loopThreadName() {
    // A simulated loop's thread is named after it, as a worker's thread is.
    return sim.running() != null ? name() : super.loopThreadName();
  }

  @Override
  protected String callerName() {
    SimulatedDispatcher r = sim.running();
    return r != null && sim.onSimulationThread() ? r.name() : super.callerName();
  }

  @Override
  protected int poll(boolean block, long deadline) {
    if (sim.running() != this) {
      if (!sim.isStandalone()) {
        throw new IllegalStateException("dispatcher '" + name() + "' belongs to simulation '"
            + sim.name() + "', which runs it: call the simulation's run methods, not run()");
      }
      standalonePoll(block, deadline);
    }
    sim.advance(sim.costs().syscallNanos()); // epoll_wait
    long now = sim.now();
    int n = 0;
    while (io.peekTime() <= now) {
      if (n == readyCallbacks.length) {
        readyCallbacks = java.util.Arrays.copyOf(readyCallbacks, n * 2);
        readyData = java.util.Arrays.copyOf(readyData, n * 2);
      }
      readyCallbacks[n] = (FileReadyCallback) io.peekItem();
      readyData[n] = io.peekData();
      io.remove();
      n++;
    }
    return n;
  }

  private void standalonePoll(boolean block, long deadline) {
    if (!block) {
      return;
    }
    long due = Math.min(deadline, io.peekTime());
    if (due != NO_DEADLINE) {
      sim.jumpTo(due + sim.costs().wakeupNanos());
      return;
    }
    // Nothing in virtual time will ever come: wait, for real, for another thread's post or exit.
    standaloneRunner = Thread.currentThread();
    try {
      while (posts.headTime() == Long.MAX_VALUE && !exitRequested()) {
        LockSupport.parkNanos(this, 10_000_000L);
      }
    } finally {
      standaloneRunner = null;
    }
  }

  @Override
  protected void dispatchReady(int ready) {
    for (int i = 0; i < ready; i++) {
      FileReadyCallback callback = readyCallbacks[i];
      long data = readyData[i];
      readyCallbacks[i] = null;
      runFileCallback(callback, (int) (data >>> 32), (int) data);
    }
  }

  @Override
  protected void wakeUp() {
    if (sim.isStandalone()) {
      Thread t = standaloneRunner;
      if (t != null) {
        LockSupport.unpark(t);
      }
    } else if (sim.onSimulationThread()) {
      sim.wakeFromPost(this);
    } else {
      sim.foreignWake(this);
    }
  }

  @Override
  protected boolean hasFileWork() {
    return !io.isEmpty() || openStreams > 0;
  }

  @Override
  protected boolean hasActivations() {
    return io.peekTime() <= sim.now();
  }

  @Override
  protected void closeBackend() {
    io.clear();
  }

  // ---- for the simulation and the network ------------------------------------------------------

  /**
   * Queues {@code callback} to run as a file event of this loop at virtual time {@code time} or
   * later, with {@code events} ({@code FileReadyType} bits); {@code fd} only labels the trace.
   */
  void deliver(long time, FileReadyCallback callback, int events, int fd) {
    if (isClosedNow()) {
      return;
    }
    io.add(time, callback, ((long) events << 32) | (fd & 0xffffffffL));
    sim.ioArrives(this, time);
  }

  /** Counts a simulated connection opened (+1) or closed (-1) on this loop. */
  void streams(int delta) {
    openStreams += delta;
  }

  /** When this loop next has work: a visible post, simulated I/O or a timer deadline. */
  long nextWorkTime() {
    return Math.min(Math.min(posts.headTime(), io.peekTime()), earliestDeadline());
  }

  int postsQueued() {
    return posts.size();
  }

  boolean exitPending() {
    return exitRequested();
  }

  void stepOnce(long sleptSince) {
    step(sleptSince);
  }

  void sleep() {
    markAsleep();
  }

  boolean isClosedNow() {
    return isClosed();
  }

  /** What to do once this loop exits (a worker closes it). */
  void onExit(Runnable action) {
    this.onExit = action;
  }

  void exited() {
    if (onExit != null) {
      onExit.run();
    }
  }

  /** This simulated thread's trace in the active session, made on first use. */
  ThreadTrace trace() {
    TraceSession s = Tracing.activeSession();
    if (s == null) {
      return null;
    }
    if (trace == null || trace.session() != s) {
      trace = Tracing.newThread(name());
    }
    return trace;
  }

  /** True once the loop has exited: the simulation no longer runs it. */
  boolean hasExited() {
    return state == EXITED;
  }
}
