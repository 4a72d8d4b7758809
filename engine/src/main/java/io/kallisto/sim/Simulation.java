package io.kallisto.sim;

import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceSession;
import io.kallisto.trace.Tracing;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * A discrete-event simulation of event loops on {@code K} cores, in virtual time: Kallisto's
 * deterministic backend. It owns {@link SimulatedDispatcher}s, all run by one Java thread (the
 * thread that created the simulation), one loop iteration (a <em>step</em>) at a time.
 *
 * <p><b>Time.</b> The clock starts at 0 and moves only by simulated work: each step starts at an
 * event's time on a free core, and its callbacks advance the clock by {@link Simulate#cpu},
 * {@link Simulate#sleep} and the {@link SimulationCosts} of posts, wakeups, system calls and
 * timers. A loop with nothing to do sleeps until a post, a timer deadline or a simulated message
 * wakes it, {@link SimulationCosts#wakeupNanos()} later. Nothing reads the wall clock.
 *
 * <p><b>Cores.</b> A step holds a core from its start to its end (less the time it spent in
 * {@link Simulate#sleep}); loops with work wait for a free core, handed out by the
 * {@link Scheduler}. A step runs to its end before any other begins, so what it changes is
 * visible to steps that start later in virtual time even if they start before it ends; messages
 * and posts, though, carry their virtual time and are seen only from then.
 *
 * <p><b>Determinism.</b> Events at equal times are taken in the order they were made; the random
 * scheduler draws from one {@link SplittableRandom} seeded by {@code seed}; trace ids and thread
 * numbers follow creation order. The same program with the same seed makes the same steps.
 *
 * <pre>{@code
 * Simulation sim = new Simulation("demo", 4, Scheduler.FIFO, 1, SimulationCosts.DEFAULT);
 * SimulatedDispatcher d = sim.createDispatcher("worker-0");
 * d.post(() -> Simulate.cpu(Duration.ofMillis(2)));
 * sim.runUntilIdle();           // sim.now() is now 2 ms and a little
 * }</pre>
 *
 * <p>Every method must be called on the simulation's thread, outside its steps, unless it says
 * otherwise; {@link #now()} is safe from any thread.
 */
public final class Simulation {
  private static final int WAKE = 0;
  private static final int STEP_END = 1;
  private static final int CORE_FREE = 2;
  /** Steps a stopping worker may spend draining what was posted before it exited. */
  static final int DRAIN_LIMIT = 10_000;

  private final String name;
  private final int cores;
  private final Scheduler scheduler;
  private final long seed;
  private final SimulationCosts costs;
  private final boolean standalone;
  private final Thread thread;
  private final SplittableRandom random;
  private final List<SimulatedDispatcher> dispatchers = new ArrayList<>();
  private final EventHeap events = new EventHeap();
  private final ArrayDeque<SimulatedDispatcher> fifo = new ArrayDeque<>();
  private final ArrayList<SimulatedDispatcher> pool = new ArrayList<>();
  private final ConcurrentLinkedQueue<SimulatedDispatcher> foreignWakes =
      new ConcurrentLinkedQueue<>();
  private int freeCores;
  private int nextTraceId;
  /** The time of the events being handled; steps start here. */
  private long eventTime;
  /** The current instant: the running step's own time, or {@link #eventTime} between steps. */
  private long clock;
  private SimulatedDispatcher running;
  private long stepSleep;
  private boolean driving;
  private long steps;
  private ThreadTrace driverTrace;

  /**
   * A simulation run by the calling thread.
   *
   * @param name names the simulation in traces (its driver thread) and messages
   * @param cores simulated cores, at least 1; may exceed the machine's
   * @param scheduler who gets a free core
   * @param seed the random scheduler's seed
   * @param costs what posts, wakeups and system calls cost
   */
  public Simulation(String name, int cores, Scheduler scheduler, long seed,
      SimulationCosts costs) {
    this(name, cores, scheduler, seed, costs, false);
  }

  private Simulation(String name, int cores, Scheduler scheduler, long seed,
      SimulationCosts costs, boolean standalone) {
    this.name = Objects.requireNonNull(name, "name");
    if (cores < 1) {
      throw new IllegalArgumentException("cores=" + cores + "; use 1 or more");
    }
    this.cores = cores;
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.seed = seed;
    this.costs = Objects.requireNonNull(costs, "costs");
    this.standalone = standalone;
    this.thread = Thread.currentThread();
    this.random = new SplittableRandom(seed);
    this.freeCores = cores;
  }

  /** The private simulation behind a standalone dispatcher: one core, run by its own run(). */
  static Simulation standalone(String name, SimulationCosts costs) {
    return new Simulation(name, 1, Scheduler.FIFO, 0, costs, true);
  }

  /** The simulation's name. Safe from any thread. */
  public String name() {
    return name;
  }

  /** The number of simulated cores. Safe from any thread. */
  public int cores() {
    return cores;
  }

  /** The scheduler. Safe from any thread. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The seed. Safe from any thread. */
  public long seed() {
    return seed;
  }

  /** The costs charged. Safe from any thread. */
  public SimulationCosts costs() {
    return costs;
  }

  /**
   * The virtual time in nanoseconds: inside a step, that step's own time (which its callbacks'
   * work advances); between steps, the time of the last event. Safe from any thread (exact on
   * the simulation's).
   */
  public long now() {
    return clock;
  }

  /** Steps (loop iterations) run so far. */
  public long steps() {
    return steps;
  }

  /** The dispatchers made so far, in creation order. */
  public List<SimulatedDispatcher> dispatchers() {
    return List.copyOf(dispatchers);
  }

  /**
   * Creates a dispatcher that this simulation runs whenever it has work, from now on. Its name
   * is also its simulated thread's, in traces. Loop-only methods may be called on it here, before
   * the simulation runs, and from its own callbacks.
   */
  public SimulatedDispatcher createDispatcher(String dispatcherName) {
    SimulatedDispatcher d = newDispatcher(dispatcherName);
    activate(d);
    return d;
  }

  /** A dispatcher that does not run until {@link #activate}d: a worker before its start(). */
  SimulatedDispatcher newDispatcher(String dispatcherName) {
    checkDriver("createDispatcher()");
    if (standalone && !dispatchers.isEmpty()) {
      throw new IllegalStateException("a standalone dispatcher's simulation holds only it");
    }
    SimulatedDispatcher d = SimulatedDispatcher.make(this, dispatcherName, ++nextTraceId);
    dispatchers.add(d);
    return d;
  }

  /** Lets the simulation run {@code d}, which starts asleep (woken at once if it has work). */
  void activate(SimulatedDispatcher d) {
    if (d.state != SimulatedDispatcher.NEW || standalone) {
      return;
    }
    goToSleep(d, eventTime);
  }

  // ---- driving ---------------------------------------------------------------------------------

  /** Runs until nothing is left to happen: every loop asleep with no timer pending. */
  public void runUntilIdle() {
    drive(null, Long.MAX_VALUE);
  }

  /** Runs every event up to {@code duration} from now; the clock then reads exactly that. */
  public void runFor(Duration duration) {
    runUntilTime(Math.addExact(eventTime, duration.toNanos()));
  }

  /** Runs every event up to virtual time {@code time}; the clock then reads {@code time}. */
  public void runUntilTime(long time) {
    drive(null, time);
  }

  /**
   * Runs until {@code done} is true (checked before each step), the simulation goes idle, or the
   * clock would pass {@code timeLimit}.
   *
   * @return whether {@code done} became true
   */
  public boolean runUntil(BooleanSupplier done, long timeLimit) {
    return drive(Objects.requireNonNull(done, "done"), timeLimit);
  }

  /**
   * Runs {@code task} on {@code d}'s loop by a post, runs the simulation until it has run, and
   * returns its result; what it throws is rethrown here (wrapped if checked). The simulated
   * {@code Dispatchers.callOnLoop}.
   *
   * @throws IllegalStateException if the simulation goes idle first ({@code d} has exited)
   */
  public <T> T call(SimulatedDispatcher d, Callable<T> task) {
    return call(d, io.kallisto.event.Dispatchers.CALL_ON_LOOP, task);
  }

  /** {@link #call(SimulatedDispatcher, Callable)}, its post labelled {@code label} in traces. */
  public <T> T call(SimulatedDispatcher d, String label, Callable<T> task) {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    boolean[] done = new boolean[1];
    d.post(io.kallisto.trace.NamedTask.of(label, () -> {
      try {
        result[0] = task.call();
      } catch (Throwable e) {
        failure[0] = e;
      }
      done[0] = true;
    }));
    if (!runUntil(() -> done[0], Long.MAX_VALUE)) {
      throw new IllegalStateException("simulation '" + name + "' went idle before '" + d.name()
          + "' ran the call");
    }
    if (failure[0] instanceof RuntimeException) {
      throw (RuntimeException) failure[0];
    }
    if (failure[0] instanceof Error) {
      throw (Error) failure[0];
    }
    if (failure[0] != null) {
      throw new IllegalStateException("call on '" + d.name() + "' failed: " + failure[0],
          failure[0]);
    }
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  /**
   * Makes the calling thread record trace events as this simulation's driver thread (named after
   * the simulation) until {@link Tracing#actAs} restores what this returns: set-up code outside
   * the steps then records the same way whichever Java thread runs the simulation.
   */
  public ThreadTrace actAsDriver() {
    return Tracing.actAs(driverTrace());
  }

  private boolean drive(BooleanSupplier done, long limit) {
    checkDriver("run");
    if (driving) {
      throw new IllegalStateException("simulation '" + name + "' is already running: it cannot"
          + " be run from inside its own steps");
    }
    driving = true;
    rescan();
    ThreadTrace outer = null;
    boolean traced = Tracing.isEnabled();
    if (traced) {
      outer = Tracing.actAs(driverTrace());
    }
    try {
      while (true) {
        takeForeignWakes();
        if (done != null && done.getAsBoolean()) {
          return true;
        }
        if (freeCores > 0 && (!fifo.isEmpty() || !pool.isEmpty())) {
          runStep(nextRunnable());
          continue;
        }
        long t = events.peekTime();
        if (t > limit || t == Long.MAX_VALUE) {
          if (limit != Long.MAX_VALUE && limit > eventTime) {
            eventTime = limit;
            clock = limit;
          }
          return done != null && done.getAsBoolean();
        }
        eventTime = t;
        clock = t;
        do {
          handle();
        } while (events.peekTime() == t);
      }
    } finally {
      driving = false;
      if (traced) {
        Tracing.actAs(outer);
      }
    }
  }

  /** Timers armed from outside the steps (set-up code) wake sleeping loops too. */
  private void rescan() {
    for (SimulatedDispatcher d : dispatchers) {
      if (d.state == SimulatedDispatcher.ASLEEP && d.wakeAt == Long.MAX_VALUE) {
        long next = d.nextWorkTime();
        if (next != Long.MAX_VALUE) {
          scheduleWake(d, Math.max(next, d.sleptSince) + costs.wakeupNanos());
        }
      }
    }
  }

  private ThreadTrace driverTrace() {
    TraceSession s = Tracing.activeSession();
    if (s == null) {
      return null;
    }
    if (driverTrace == null || driverTrace.session() != s) {
      driverTrace = Tracing.newThread(name);
    }
    return driverTrace;
  }

  private void handle() {
    Object item = events.peekItem();
    int kind = (int) events.peekData();
    events.remove();
    SimulatedDispatcher d = (SimulatedDispatcher) item;
    switch (kind) {
      case WAKE:
        if (d.state == SimulatedDispatcher.ASLEEP && d.wakeAt == eventTime) {
          d.wakeAt = Long.MAX_VALUE;
          makeRunnable(d, d.sleptSince);
        }
        break;
      case STEP_END:
        if (!d.coreReleased) {
          freeCores++;
        }
        afterStep(d);
        break;
      case CORE_FREE:
      default:
        freeCores++;
        break;
    }
  }

  private SimulatedDispatcher nextRunnable() {
    if (scheduler == Scheduler.FIFO) {
      return fifo.poll();
    }
    int i = random.nextInt(pool.size());
    SimulatedDispatcher d = pool.get(i);
    int last = pool.size() - 1;
    pool.set(i, pool.get(last));
    pool.remove(last);
    return d;
  }

  private void makeRunnable(SimulatedDispatcher d, long sleptSince) {
    d.state = SimulatedDispatcher.RUNNABLE;
    d.stepSleptSince = sleptSince;
    if (scheduler == Scheduler.FIFO) {
      fifo.add(d);
    } else {
      pool.add(d);
    }
  }

  private void runStep(SimulatedDispatcher d) {
    freeCores--;
    d.state = SimulatedDispatcher.BUSY;
    running = d;
    clock = eventTime;
    stepSleep = 0;
    boolean traced = Tracing.isEnabled();
    ThreadTrace outer = traced ? Tracing.actAs(d.trace()) : null;
    try {
      if (d.exitPending()) {
        d.stepOnce(SimulatedDispatcher.NO_SLEEP); // takes the exit, runs nothing
        d.exiting = true;
      } else {
        d.stepOnce(d.stepSleptSince);
        if (d.exitPending()) {
          d.stepOnce(SimulatedDispatcher.NO_SLEEP);
          d.exiting = true;
        }
      }
    } finally {
      if (traced) {
        Tracing.actAs(outer);
      }
      running = null;
    }
    long end = clock;
    clock = eventTime;
    steps++;
    long coreFree = end - stepSleep;
    d.coreReleased = coreFree < end;
    if (d.coreReleased) {
      events.add(coreFree, null, CORE_FREE);
    }
    events.add(end, d, STEP_END);
  }

  private void afterStep(SimulatedDispatcher d) {
    if (d.isClosedNow()) {
      exited(d);
      return;
    }
    if (d.exiting) {
      if (d.drainsOnExit && d.postsQueued() > 0 && d.drainSteps++ < DRAIN_LIMIT) {
        makeRunnable(d, SimulatedDispatcher.NO_SLEEP);
      } else {
        exited(d);
      }
      return;
    }
    long next = d.nextWorkTime();
    if (next <= eventTime) {
      makeRunnable(d, SimulatedDispatcher.NO_SLEEP);
    } else {
      goToSleep(d, eventTime);
    }
  }

  private void goToSleep(SimulatedDispatcher d, long since) {
    d.state = SimulatedDispatcher.ASLEEP;
    d.sleptSince = since;
    d.wakeAt = Long.MAX_VALUE;
    d.sleep();
    long next = d.nextWorkTime();
    if (next != Long.MAX_VALUE) {
      scheduleWake(d, Math.max(next, since) + costs.wakeupNanos());
    }
  }

  private void exited(SimulatedDispatcher d) {
    d.state = SimulatedDispatcher.EXITED;
    d.exited();
  }

  private void scheduleWake(SimulatedDispatcher d, long time) {
    if (scheduler == Scheduler.RANDOM && costs.wakeupNanos() > 0) {
      time += random.nextLong(costs.wakeupNanos() + 1);
    }
    if (time < d.wakeAt) {
      d.wakeAt = time;
      events.add(time, d, WAKE);
    }
  }

  private void takeForeignWakes() {
    SimulatedDispatcher d;
    while ((d = foreignWakes.poll()) != null) {
      if (d.state == SimulatedDispatcher.ASLEEP) {
        scheduleWake(d, eventTime + costs.wakeupNanos());
      }
    }
  }

  // ---- for dispatchers, Simulate and the network -----------------------------------------------

  /** The dispatcher whose step is running, or null. */
  SimulatedDispatcher running() {
    return running;
  }

  boolean isStandalone() {
    return standalone;
  }

  boolean onSimulationThread() {
    return Thread.currentThread() == thread;
  }

  /** Posts go straight into the ring only on a driven simulation's own thread. */
  boolean acceptsDirectPosts() {
    return !standalone && Thread.currentThread() == thread;
  }

  /** Whoever consumes may move the inbox into the ring: any thread when standalone. */
  boolean mayDrainInboxes() {
    return standalone || Thread.currentThread() == thread;
  }

  /** The virtual time of a post to {@code target} now, charging the poster for it. */
  long postTime(SimulatedDispatcher target) {
    if (running != null && running != target) {
      clock += costs.postNanos();
    }
    return clock;
  }

  /** A post or exit found {@code d} asleep: the poster writes its wakeup, and d wakes later. */
  void wakeFromPost(SimulatedDispatcher d) {
    if (running != null) {
      clock += costs.syscallNanos();
    }
    if (d.state == SimulatedDispatcher.ASLEEP) {
      scheduleWake(d, clock + costs.wakeupNanos());
    }
  }

  /** A post from another Java thread found {@code d} asleep. Safe from any thread. */
  void foreignWake(SimulatedDispatcher d) {
    foreignWakes.add(d);
  }

  /** Something for {@code d} arrives at {@code time}: wake it then if it sleeps. */
  void ioArrives(SimulatedDispatcher d, long time) {
    if (d.state == SimulatedDispatcher.ASLEEP) {
      scheduleWake(d, Math.max(time, eventTime) + costs.wakeupNanos());
    }
  }

  /** Advances the running step's time by CPU work. */
  void advance(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("nanos=" + nanos + " is negative; use 0 or more");
    }
    clock += nanos;
  }

  /** Advances the running step's time by a blocking wait, which leaves its core free. */
  void block(long nanos) {
    advance(nanos);
    if (running != null) {
      stepSleep += nanos;
    }
  }

  /** A standalone run's blocking poll: virtual time jumps to {@code time} if that is later. */
  void jumpTo(long time) {
    if (time > clock) {
      clock = time;
      eventTime = time;
    }
  }

  private void checkDriver(String what) {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("simulation '" + name + "': " + what + " must be called on"
          + " its thread '" + thread.getName() + "', not on '" + Thread.currentThread().getName()
          + "'");
    }
    if (running != null) {
      throw new IllegalStateException("simulation '" + name + "': " + what + " called from a"
          + " callback of '" + running.name() + "'; call it from outside the simulation's steps");
    }
  }

  @Override
  public String toString() {
    return "simulation '" + name + "' (" + cores + " cores, " + scheduler + ", seed " + seed
        + ", t=" + clock + " ns, " + steps + " steps)";
  }
}
