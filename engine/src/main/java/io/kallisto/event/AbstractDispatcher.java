package io.kallisto.event;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TracedCallback;
import io.kallisto.trace.Tracing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of a {@link Dispatcher} that does not depend on how the loop waits: the post queue
 * and its wakeup protocol, timers, the run loop, thread checks, statistics and callback errors.
 * A backend supplies the wait ({@link #poll}), the wakeup, the timer source and file events.
 *
 * <p>One iteration:
 * <ol>
 *   <li>decide whether the poll may block (it may not while posts, due timers or activated file
 *       events wait);
 *   <li>{@link #poll}: wait for I/O, a wakeup or the earliest timer deadline;
 *   <li>{@link #dispatchReady}: run file event callbacks;
 *   <li>run the timers that are due and were enabled before this step began;
 *   <li>run one batch of posts: those queued before the batch began.
 * </ol>
 *
 * <p>Wakeups follow Netty's {@code EpollIoHandler} (its {@code nextWakeupNanos} and
 * {@code wakeup()}), where the field holds the next deadline while the loop may block; here it
 * holds {@link #AWAKE} while the loop works and {@link #ASLEEP} just before it may block. A post
 * from another thread writes the wakeup only if it moves the field from ASLEEP to AWAKE, so a
 * busy loop is never woken twice. Envoy gates differently: see docs/envoy-fidelity.md.
 * The loop re-checks the queue after publishing ASLEEP; with both sides using volatile accesses,
 * either the poster sees ASLEEP or the loop sees the post, and no wakeup is lost.
 */
public abstract class AbstractDispatcher implements Dispatcher {
  private static final long AWAKE = -1L;
  private static final long ASLEEP = Long.MAX_VALUE;
  /** Returned by {@link #earliestDeadline} style queries when no timer is pending. */
  protected static final long NO_DEADLINE = Long.MAX_VALUE;
  /** For {@link #step}: the loop did not sleep before this iteration. */
  protected static final long NOT_SLEPT = Long.MIN_VALUE;

  private static final ThreadLocal<Dispatcher> CURRENT = new ThreadLocal<>();
  private static final System.Logger LOG = System.getLogger("io.kallisto.event");
  private static final VarHandle RUN_THREAD;
  private static final VarHandle WORKING_SINCE;

  static {
    try {
      RUN_THREAD = MethodHandles.lookup()
          .findVarHandle(AbstractDispatcher.class, "runThread", Thread.class);
      WORKING_SINCE = MethodHandles.lookup()
          .findVarHandle(AbstractDispatcher.class, "workingSince", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Marks the end of a post batch; never run. */
  private static final Runnable BATCH_END = () -> {};
  private static final AtomicInteger NEXT_TRACE_ID = new AtomicInteger();
  private static final long SEQUENCE_MASK = (1L << 40) - 1;

  private final String name;
  private final PostQueue posts;
  private final TimerQueue timers;

  private volatile Thread runThread;
  /**
   * When this iteration's work began, or 0 while polling: written by the loop with opaque stores
   * (no fence on the loop's path), read by watchers, who only need to see it eventually.
   */
  @SuppressWarnings("unused") // through WORKING_SINCE
  private long workingSince;
  private volatile boolean exitRequested;
  private volatile boolean closed;
  private boolean closeWhenRunEnds;
  private final AtomicLong nextWakeup = new AtomicLong(AWAKE);
  /** Wakeup writes in progress; close() waits for them so that no write hits a reused fd. */
  private final AtomicInteger wakeupsInFlight = new AtomicInteger();

  private long nextTimerSequence;
  private int nextTimerId;

  /** This dispatcher's id in traces: the high bits of its posts' flow ids. */
  private final int traceId;
  /** The loop thread's trace, refreshed each iteration; null when tracing is off. */
  private ThreadTrace trace;
  /**
   * True while a traced batch's end marker is in the queue, which a post's recorded queue depth
   * must not count. Written by the loop only while tracing, read by posters only while tracing.
   */
  private volatile boolean markerQueued;

  // Statistics: counters have one writer each; histograms are created by the first run().
  private final OpaqueCounter iterations = new OpaqueCounter();
  private final OpaqueCounter postsRun = new OpaqueCounter();
  private final OpaqueCounter postsDropped = new OpaqueCounter();
  private final OpaqueCounter timersFired = new OpaqueCounter();
  private final OpaqueCounter timerArms = new OpaqueCounter();
  private final OpaqueCounter fileEventsFired = new OpaqueCounter();
  private final OpaqueCounter callbackErrors = new OpaqueCounter();
  private final OpaqueCounter busyNanos = new OpaqueCounter();
  private final AtomicLong wakeupsWritten = new AtomicLong();
  private volatile String lastCallbackError;
  private volatile LoopHistogram loopDuration;
  private volatile LoopHistogram pollDelay;

  /**
   * @param name the dispatcher's name
   * @param posts the post queue; owned by the dispatcher from now on
   * @param timers the timer queue; owned by the dispatcher from now on
   */
  protected AbstractDispatcher(String name, PostQueue posts, TimerQueue timers) {
    this(name, posts, timers, NEXT_TRACE_ID.incrementAndGet() & 0xffffff);
  }

  /**
   * As {@link #AbstractDispatcher(String, PostQueue, TimerQueue)}, with the trace id given
   * rather than taken from a process-wide counter: a simulation numbers its own dispatchers, so
   * that the flow ids in its trace do not depend on what else the JVM has run.
   *
   * @param traceId 1 to 2^24 - 1
   */
  protected AbstractDispatcher(String name, PostQueue posts, TimerQueue timers, int traceId) {
    this.name = Objects.requireNonNull(name, "name");
    this.posts = Objects.requireNonNull(posts, "posts");
    this.timers = Objects.requireNonNull(timers, "timers");
    if (traceId < 1 || traceId > 0xffffff) {
      throw new IllegalArgumentException("traceId=" + traceId + "; use 1 to " + 0xffffff);
    }
    this.traceId = traceId;
  }

  /**
   * The dispatcher whose {@code run()} is in progress on the calling thread, or {@code null}.
   */
  public static Dispatcher current() {
    return CURRENT.get();
  }

  // ---- backend hooks -----------------------------------------------------------------------

  /**
   * Waits for readiness. If {@code block} is false, returns at once; otherwise waits until an fd
   * is ready, {@link #wakeUp} is called, or {@code deadline} (a {@link #now()} value, or
   * {@link #NO_DEADLINE}) passes. Returns how many ready events {@link #dispatchReady} will see.
   */
  protected abstract int poll(boolean block, long deadline);

  /** Runs the callbacks for the {@code ready} events the last poll found, and activations. */
  protected abstract void dispatchReady(int ready);

  /** Interrupts a blocked {@link #poll}. Called from any thread; never while closed. */
  protected abstract void wakeUp();

  /** True while any file event is enabled or activated: the {@link RunType#BLOCK} test. */
  protected abstract boolean hasFileWork();

  /** True while a file event activation waits for the next iteration. */
  protected abstract boolean hasActivations();

  /** Releases the backend's resources. Called once, on a thread for which the loop is safe. */
  protected abstract void closeBackend();

  // ---- Dispatcher --------------------------------------------------------------------------

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void post(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkOpen("post()");
    // Traced, the post's time is read before the enqueue: the loop may run the callback before
    // this thread gets to record, and a queueing delay must never come out negative.
    boolean traced = Tracing.isEnabled();
    long postedAt = traced ? now() : 0;
    long sequence = posts.offer(callback);
    boolean wokeLoop = Thread.currentThread() != runThread && wakeUpIfAsleep();
    if (traced) {
      ThreadTrace t = Tracing.currentThread();
      if (t != null) {
        // The target's queue depth right after this post, plus one (0: the queue cannot tell).
        long queued = posts.queuedItems();
        long depth = queued < 0 ? 0 : Math.max(0, queued - (markerQueued ? 1 : 0)) + 1;
        t.record(EventType.POST, wokeLoop ? 1 : 0, 0, traceId, postedAt, depth,
            flowId(sequence));
      }
    }
  }

  /**
   * The flow id that joins a post to the run of its callback: this dispatcher's trace id above
   * the queue sequence number, or 0 when the queue does not number its tasks.
   */
  private long flowId(long sequence) {
    return sequence < 0 ? 0 : (long) traceId << 40 | (sequence & SEQUENCE_MASK);
  }

  /** This dispatcher's id in traces. Safe from any thread. */
  public final int traceId() {
    return traceId;
  }

  @Override
  public final Timer createTimer(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkLoopThread("createTimer()");
    return new LoopTimer(callback);
  }

  @Override
  public final void run(RunType type) {
    Objects.requireNonNull(type, "type");
    runLoop(type, NOT_SLEPT);
  }

  private void runLoop(RunType type, long sleptSince) {
    checkOpen("run()");
    Thread me = Thread.currentThread();
    if (!RUN_THREAD.compareAndSet(this, null, me)) {
      throw new IllegalStateException("dispatcher '" + name + "': run() is already in progress on"
          + " thread '" + runThread.getName() + "'; only one run() at a time");
    }
    Dispatcher outer = CURRENT.get();
    CURRENT.set(this);
    if (loopDuration == null) {
      loopDuration = new LoopHistogram();
      pollDelay = new LoopHistogram();
    }
    try {
      loop(type, sleptSince);
    } finally {
      nextWakeup.set(AWAKE);
      WORKING_SINCE.setOpaque(this, 0L);
      trace = null;
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
      runThread = null;
      if (closeWhenRunEnds) {
        close();
      }
    }
  }

  @Override
  public final void exit() {
    exitRequested = true;
    if (Thread.currentThread() != runThread) {
      wakeUpIfAsleep();
    }
  }

  @Override
  public final boolean isThreadSafe() {
    return onLoopThread();
  }

  @Override
  public long now() {
    return System.nanoTime();
  }

  @Override
  public final boolean hasPendingPosts() {
    // No checkOpen: close() dropped every queued post, so "none" is the true answer, and the
    // drain idiom (run, then run NON_BLOCK while posts wait) ends cleanly after a self-close.
    requireLoopThread("hasPendingPosts()");
    return !posts.isEmpty();
  }

  @Override
  public final DispatcherStats stats() {
    LoopHistogram loop = loopDuration;
    LoopHistogram delay = pollDelay;
    return new DispatcherStats(name, iterations.get(), postsRun.get(), postsDropped.get(),
        wakeupsWritten.get(), timersFired.get(), timerArms.get(), fileEventsFired.get(),
        callbackErrors.get(), lastCallbackError, busyNanos.get(),
        loop == null ? LoopHistogram.empty() : loop.snapshot(),
        delay == null ? LoopHistogram.empty() : delay.snapshot());
  }

  @Override
  public final Thread loopThread() {
    return runThread;
  }

  @Override
  public final long workingSince() {
    return (long) WORKING_SINCE.getOpaque(this);
  }

  @Override
  public final boolean isAsleep() {
    return nextWakeup.get() == ASLEEP;
  }

  @Override
  public final void close() {
    if (closed) {
      return;
    }
    checkLoopThread("close()");
    if (runThread != null) {
      // On the loop thread mid-run: finish this iteration, then close as run() returns.
      closeWhenRunEnds = true;
      exitRequested = true;
      return;
    }
    closed = true;
    // Posters that saw 'closed == false' may still be writing the wakeup fd; let them finish.
    while (wakeupsInFlight.get() != 0) {
      Thread.onSpinWait();
    }
    long dropped = 0;
    while (posts.poll() != null) {
      dropped++;
    }
    postsDropped.add(dropped);
    closeBackend();
  }

  // ---- for backends ------------------------------------------------------------------------

  /**
   * Tells {@link LoopRegistry}'s listeners that this dispatcher exists. A backend's factory calls
   * it once the dispatcher is fully constructed (never a constructor, which would let a listener
   * see a half-built object).
   */
  protected final void announce() {
    LoopRegistry.dispatcherCreated(this);
  }

  /**
   * Throws {@link IllegalStateException} unless loop-only methods may be called here: on the
   * loop thread during a run, or on any thread when none is in progress.
   */
  protected final void checkLoopThread(String what) {
    requireLoopThread(what);
    checkOpen(what);
  }

  private void requireLoopThread(String what) {
    if (!onLoopThread()) {
      throw new IllegalStateException("dispatcher '" + name + "': " + what + " must be called on"
          + " its loop thread '" + loopThreadName() + "' while run() is in progress, not on '"
          + callerName() + "'");
    }
  }

  /**
   * Whether loop-only methods may be called here: on the loop thread during a run, or on any
   * thread when none is in progress. Backends on which several loops share one Java thread (the
   * simulation) override this to answer for the loop that is running now. Safe from any thread.
   */
  protected boolean onLoopThread() {
    Thread t = runThread;
    return t == null || t == Thread.currentThread();
  }

  /** The loop thread's name for messages: the running thread's, or "none". */
  protected String loopThreadName() {
    Thread t = runThread;
    return t == null ? "none" : t.getName();
  }

  /** The caller's name for messages: its thread's, unless a backend knows better. */
  protected String callerName() {
    return Thread.currentThread().getName();
  }

  /**
   * Runs one iteration on the calling thread, for a backend that drives its loop from outside
   * (the simulation, where several loops share one Java thread and time is virtual). It is
   * {@code run(RunType.NON_BLOCK)}, except that when {@code sleptSince} is not
   * {@link #NOT_SLEPT} the iteration counts as one whose poll blocked from {@code sleptSince}
   * until now: the trace shows a blocking poll over that time, and {@code poll_delay} is
   * recorded against the earliest timer deadline. The backend's {@link #poll} is then called
   * with {@code block == false}. Returns at once, doing nothing, if {@link #exit} was requested.
   */
  protected final void step(long sleptSince) {
    runLoop(RunType.NON_BLOCK, sleptSince);
  }

  /**
   * Marks the loop asleep between two {@link #step}s, as a blocked poll would: the next
   * {@link #post} from elsewhere (and {@link #exit}) then calls {@link #wakeUp}, once, and is
   * counted as a wakeup written. The next step marks it awake again.
   */
  protected final void markAsleep() {
    nextWakeup.set(ASLEEP);
  }

  /** True while an {@link #exit} waits to end a run (or the next {@link #step}). */
  protected final boolean exitRequested() {
    return exitRequested;
  }

  /** The earliest pending timer deadline, or {@link #NO_DEADLINE}. Loop thread only. */
  protected final long earliestDeadline() {
    TimerNode first = timers.peek();
    return first == null ? NO_DEADLINE : first.deadlineNanos();
  }

  /** Throws {@link IllegalStateException} if the dispatcher is closed. */
  protected final void checkOpen(String what) {
    if (closed) {
      throw new IllegalStateException("dispatcher '" + name + "' is closed: cannot call " + what);
    }
  }

  /** True once {@link #close()} has released the backend. */
  protected final boolean isClosed() {
    return closed;
  }

  /** Counts, and traces, one re-arm of the backend's timer source to {@code deadline}. */
  protected final void countTimerArm(long deadline) {
    timerArms.increment();
    ThreadTrace t = trace;
    if (t != null) {
      t.record(EventType.TIMERFD_ARM, 0, 0, 0, now(), deadline, 0);
    }
  }

  /**
   * Runs a file event callback, counting it and containing anything it throws. Loop thread
   * only.
   */
  protected final void runFileCallback(FileReadyCallback callback, int events, int fd) {
    fileEventsFired.increment();
    ThreadTrace t = trace;
    long start = t != null ? now() : 0;
    try {
      callback.onReady(events);
    } catch (Throwable e) {
      callbackFailed("file event", e);
    }
    if (t != null) {
      t.record(EventType.CALLBACK, CallbackKind.FILE_EVENT.code(), events,
          Tracing.label(t.session(), callback), start, now() - start, fd);
    }
  }

  // ---- the loop ----------------------------------------------------------------------------

  private void loop(RunType type, long sleptSince) {
    while (true) {
      if (exitRequested) {
        exitRequested = false;
        return;
      }
      ThreadTrace t = Tracing.currentThread();
      trace = t;
      TimerNode first = timers.peek();
      long deadline = first == null ? NO_DEADLINE : first.deadlineNanos();
      boolean stepSlept = sleptSince != NOT_SLEPT;
      boolean block = type != RunType.NON_BLOCK
          && posts.isEmpty()
          && !hasActivations()
          && (first == null || deadline > now());
      if (block && type == RunType.BLOCK && first == null && !hasFileWork()) {
        return; // BLOCK: nothing left that could ever become ready.
      }
      if (block) {
        WORKING_SINCE.setOpaque(this, 0L);
        nextWakeup.set(ASLEEP);
        // Re-check after publishing ASLEEP: a post that raced with us may have seen AWAKE.
        if (!posts.isEmpty() || exitRequested) {
          block = false;
          nextWakeup.set(AWAKE);
        }
      }
      // A step after a sleep: the backend's poll has nothing left to wait for, but the iteration
      // is the one that ends that sleep, and is traced and measured as such.
      long pollStart = stepSlept ? sleptSince : t != null ? now() : 0;
      int ready = poll(block, deadline);
      block |= stepSlept;
      long woke = now();
      WORKING_SINCE.setOpaque(this, woke);
      if (block) {
        nextWakeup.set(AWAKE);
        if (deadline != NO_DEADLINE && woke >= deadline) {
          pollDelay.record(woke - deadline);
        }
      }
      if (t != null) {
        t.record(EventType.POLL, block ? 1 : 0, 0, 0, pollStart, woke - pollStart,
            deadline == NO_DEADLINE ? 0 : deadline);
      }
      dispatchReady(ready);
      runDueTimers();
      runPostBatch();
      long end = now();
      loopDuration.record(end - woke);
      busyNanos.add(end - woke);
      iterations.increment();
      if (t != null) {
        t.record(EventType.WORK, 0, 0, 0, woke, end - woke, 0);
      }
      if (type == RunType.NON_BLOCK) {
        return;
      }
    }
  }

  private void runDueTimers() {
    if (timers.size() == 0) {
      return;
    }
    long now = now();
    // Timers enabled from here on (a 0 ms re-arm inside a callback) wait for the next iteration.
    long sequenceLimit = nextTimerSequence;
    TimerNode node;
    while ((node = timers.peek()) != null
        && node.deadlineNanos() <= now
        && node.sequence() < sequenceLimit) {
      timers.remove(node);
      LoopTimer timer = (LoopTimer) node;
      timer.armed = false;
      timersFired.increment();
      ThreadTrace t = trace;
      long start = t != null ? now() : 0;
      long deadline = node.deadlineNanos(); // before the callback, which may re-arm the timer
      try {
        timer.callback.run();
      } catch (Throwable e) {
        callbackFailed("timer", e);
      }
      if (t != null) {
        t.record(EventType.CALLBACK, CallbackKind.TIMER.code(), timer.id & 0xffff,
            Tracing.label(t.session(), timer.callback), start, now() - start, deadline);
      }
    }
  }

  private void runPostBatch() {
    if (posts.isEmpty()) {
      return;
    }
    // Posts made by the callbacks below queue behind the marker: they run in the next batch.
    posts.offer(BATCH_END);
    ThreadTrace t = trace;
    long batchStart = t != null ? now() : 0;
    if (t != null) {
      markerQueued = true;
    }
    // Traced, one clock read per callback: each callback's end is the next one's start (so the
    // few tens of ns of tracing between two callbacks count towards the second).
    long start = batchStart;
    int batch = 0;
    Runnable task;
    while ((task = posts.poll()) != BATCH_END && task != null) {
      postsRun.increment();
      batch++;
      long sequence = t != null ? posts.lastPolledSequence() : 0;
      try {
        task.run();
      } catch (Throwable e) {
        callbackFailed("post", e);
      }
      if (t != null) {
        long end = now();
        tracePostCallback(t, task, sequence, start, end);
        start = end;
      }
    }
    if (task == null) {
      posts.removeMarker(BATCH_END); // the queue held the rest back (a simulated post not due)
    }
    if (t != null) {
      markerQueued = false;
      // The batch held exactly what was queued when it began: the queue depth at that moment.
      int depthId = t.session().intern("queue depth");
      t.record(EventType.COUNTER, 0, 0, depthId, batchStart, batch, 0);
      // And at its end, what was posted meanwhile waits for the next batch (start is the last
      // callback's end: no clock read of its own).
      long after = posts.queuedItems();
      if (after >= 0) {
        t.record(EventType.COUNTER, 0, 0, depthId, start, after, 0);
      }
    }
  }

  private void tracePostCallback(ThreadTrace t, Runnable task, long sequence, long start,
      long end) {
    CallbackKind kind = CallbackKind.POST;
    long flow = flowId(sequence);
    if (task instanceof TracedCallback) {
      TracedCallback traced = (TracedCallback) task;
      kind = traced.traceKind();
      if (traced.traceFlow() != 0) {
        flow = traced.traceFlow();
      }
    }
    t.record(EventType.CALLBACK, kind.code(), 0, Tracing.label(t.session(), task), start,
        end - start, flow);
  }

  private void callbackFailed(String kind, Throwable t) {
    if (t instanceof VirtualMachineError) {
      throw (VirtualMachineError) t;
    }
    callbackErrors.increment();
    String line = kind + " callback threw " + t;
    lastCallbackError = line;
    LOG.log(System.Logger.Level.WARNING, "dispatcher '" + name + "': " + line
        + " (counted in callbackErrors; the loop keeps running)", t);
  }

  /** Writes a wakeup if the loop may be asleep; returns whether it wrote one. */
  private boolean wakeUpIfAsleep() {
    // The plain read first: the CAS is the expensive part, and a busy loop is usually AWAKE.
    if (nextWakeup.get() != AWAKE && nextWakeup.getAndSet(AWAKE) != AWAKE) {
      wakeupsInFlight.incrementAndGet();
      try {
        if (!closed) {
          wakeupsWritten.incrementAndGet();
          wakeUp();
          return true;
        }
      } finally {
        wakeupsInFlight.decrementAndGet();
      }
    }
    return false;
  }

  /** A timer that lives in this dispatcher's {@link TimerQueue}. */
  private final class LoopTimer extends TimerNode implements Timer {
    final Runnable callback;
    final int id = ++nextTimerId;
    boolean armed;

    LoopTimer(Runnable callback) {
      this.callback = callback;
    }

    // Timer

    @Override
    public void enable(Duration delay) {
      checkLoopThread("Timer.enable()");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay=" + delay + " is negative; use 0 or more");
      }
      long nanos = saturatedNanos(delay);
      long now = now();
      arm(now, nanos > Long.MAX_VALUE - 1 - now ? Long.MAX_VALUE - 1 : now + nanos);
    }

    @Override
    public void enableAt(long deadlineNanos) {
      checkLoopThread("Timer.enableAt()");
      arm(now(), Math.min(deadlineNanos, Long.MAX_VALUE - 1));
    }

    private void arm(long now, long deadline) {
      boolean rearm = armed;
      if (armed) {
        timers.remove(this);
      }
      schedule(deadline, nextTimerSequence++);
      timers.add(this);
      armed = true;
      ThreadTrace t = Tracing.currentThread();
      if (t != null) {
        t.record(EventType.TIMER_ARM, rearm ? 1 : 0, 0, id, now, deadline, 0);
      }
    }

    @Override
    public void disable() {
      checkLoopThread("Timer.disable()");
      if (armed) {
        timers.remove(this);
        armed = false;
        ThreadTrace t = Tracing.currentThread();
        if (t != null) {
          t.record(EventType.TIMER_DISABLE, 0, 0, id, now(), 0, 0);
        }
      }
    }

    @Override
    public boolean enabled() {
      checkLoopThread("Timer.enabled()");
      return armed;
    }

    private long saturatedNanos(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException tooLong) {
        return Long.MAX_VALUE;
      }
    }
  }
}
