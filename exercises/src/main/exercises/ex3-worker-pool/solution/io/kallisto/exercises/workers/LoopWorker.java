package io.kallisto.exercises.workers;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherFactory;
import io.kallisto.event.RunType;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link LifecycleWorker} on a platform thread of its own, running a dispatcher made by a
 * {@link DispatcherFactory} (epoll, NIO, whatever the factory makes).
 *
 * <p><b>Admission.</b> An offer from another thread holds the <em>read</em> lock of
 * {@code admission} while it looks at the state and posts; every state change holds the
 * <em>write</em> lock. So when {@code stop()} moves to DRAINING and posts the loop's exit, every
 * accepted offer has already posted (it is queued ahead of the exit), and every later offer sees
 * DRAINING. Many offers hold the read lock at once, so the counters they write are atomic.
 *
 * <p><b>Draining.</b> The exit runs after everything accepted before it. Requests that ran may
 * have offered follow-ups (queued behind the exit); the thread runs those too before it closes
 * the dispatcher, so nothing accepted is ever dropped by the close.
 *
 * <p><b>Waiting for the end.</b> {@code stop()} joins the worker's thread: the thread sets the
 * final counts, closes the dispatcher and ends, so once the join returns everything the caller
 * needs is done and visible (a join is a happens-before edge). {@code start()} starts the
 * thread under the write lock, so no {@code stop()} can see STARTING before the thread exists
 * and join a thread that was never started.
 */
public final class LoopWorker implements LifecycleWorker {
  private static final System.Logger LOG = System.getLogger(LoopWorker.class.getName());

  private final String name;
  private final Dispatcher dispatcher;
  private final RequestErrorHandler errors;
  private final Thread thread;

  /** Read: an offer from another thread. Write: a state change. */
  private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
  /** Written only under admission's write lock; read anywhere. */
  private volatile WorkerState state = WorkerState.NEW;

  private final CountDownLatch ready = new CountDownLatch(1);
  /** Set by the first posted callback; false if ready was released by a loop that never ran. */
  private volatile boolean loopRan;
  private volatile Throwable loopFailure;
  private volatile RequestCounts finalCounts;

  // Written by many offering threads at once, all holding the (shared) read lock: atomic.
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  // One writer, the worker's thread; volatile so that counts() elsewhere reads them whole.
  private volatile long completed;
  private volatile long failed;
  /** Follow-ups accepted while draining. Worker thread only. */
  private int drainFollowUps;

  /**
   * A NEW worker whose dispatcher, named {@code name}, {@code factory} makes now.
   *
   * @param errors told about every request that throws, on the worker's thread
   */
  public LoopWorker(String name, DispatcherFactory factory, RequestErrorHandler errors) {
    this.name = Objects.requireNonNull(name, "name");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.dispatcher = Objects.requireNonNull(factory, "factory").create(name);
    this.thread = new Thread(this::runLoop, name);
  }

  // LifecycleWorker

  @Override
  public String name() {
    return name;
  }

  @Override
  public WorkerState state() {
    return state;
  }

  @Override
  public void start() {
    admission.writeLock().lock();
    try {
      if (state != WorkerState.NEW) {
        throw new IllegalStateException("worker '" + name + "' is " + state + ": start() is"
            + " called once, on a NEW worker; create a new one");
      }
      state = WorkerState.STARTING;
      // The loop's first post batch runs this: ready means posted callbacks really run.
      dispatcher.post(this::onFirstCallback);
      thread.start(); // under the lock: see "Waiting for the end"
    } finally {
      admission.writeLock().unlock();
    }
  }

  @Override
  public boolean awaitReady(Duration timeout) {
    if (state == WorkerState.NEW) {
      throw new IllegalStateException("worker '" + name + "' was not started: call start()"
          + " before awaitReady()");
    }
    try {
      if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's to handle, as the contract says
      return false;
    }
    if (loopRan) {
      return true;
    }
    Throwable failure = loopFailure;
    if (failure != null) {
      throw new IllegalStateException("worker '" + name + "' never became ready: its loop"
          + " failed: " + failure, failure);
    }
    throw new IllegalStateException("worker '" + name + "' never became ready: it was stopped"
        + " before it was started");
  }

  @Override
  public boolean offer(Runnable request) {
    Objects.requireNonNull(request, "request");
    if (Thread.currentThread() == thread) {
      return offerFromOwnThread(request);
    }
    boolean admitted;
    admission.readLock().lock();
    try {
      admitted = admitUnderReadLock(request);
    } finally {
      admission.readLock().unlock();
    }
    return admitted;
  }

  private boolean admitUnderReadLock(Runnable request) {
    WorkerState s = state;
    if (s == WorkerState.NEW) {
      throw new IllegalStateException("worker '" + name + "' is NEW: start() it before"
          + " offering requests");
    }
    if (s == WorkerState.STARTING || s == WorkerState.RUNNING) {
      accepted.incrementAndGet();
      dispatcher.post(new Request(request));
      return true;
    }
    // Counted under the lock, so the counts stop() reports include every rejection before it.
    rejected.incrementAndGet();
    return false;
  }

  /**
   * A request offering a follow-up. No lock: if a stop() begins after the look at the state, its
   * exit is queued ahead of this post, and the drain runs the follow-up after the exit. (Never
   * STOPPED here: the thread sets STOPPED only once no request can run any more.)
   */
  private boolean offerFromOwnThread(Runnable request) {
    if (state == WorkerState.DRAINING) {
      if (drainFollowUps >= DRAIN_FOLLOW_UP_LIMIT) {
        rejected.incrementAndGet();
        return false;
      }
      drainFollowUps++;
    }
    accepted.incrementAndGet();
    dispatcher.post(new Request(request));
    return true;
  }

  @Override
  public RequestCounts counts() {
    // Each read is exact; ran <= accepted holds as long as accepted is read last.
    long c = completed;
    long f = failed;
    long r = rejected.get();
    return new RequestCounts(accepted.get(), c, f, r);
  }

  @Override
  public RequestCounts stop() {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("worker '" + name + "': stop() on the worker's own thread"
          + " would wait for itself; call it from another thread");
    }
    beginStop();
    // A NEW worker's thread was never started: the join returns at once, as it should.
    joinUninterruptibly(thread);
    return finalCounts;
  }

  /**
   * The first half of {@link #stop()}, which returns at once: a NEW worker goes to STOPPED; a
   * serving one to DRAINING, with the loop's exit posted behind every accepted request. The
   * pool begins every worker's stop with this before it waits for any, so they drain together.
   */
  void beginStop() {
    admission.writeLock().lock();
    try {
      switch (state) {
        case NEW:
          state = WorkerState.STOPPED;
          finalCounts = RequestCounts.NONE;
          dispatcher.close();
          ready.countDown();
          break;
        case STARTING:
        case RUNNING:
          state = WorkerState.DRAINING;
          // FIFO: the exit runs after every request accepted until now.
          dispatcher.post(dispatcher::exit);
          break;
        default:
          break; // DRAINING or STOPPED: an earlier stop() leads; wait for the same end
      }
    } finally {
      admission.writeLock().unlock();
    }
  }

  @Override
  public boolean isWorkerThread() {
    return Thread.currentThread() == thread;
  }

  @Override
  public String toString() {
    return "LoopWorker[" + name + ", " + state + ", " + counts() + "]";
  }

  // The worker's thread

  private void onFirstCallback() {
    admission.writeLock().lock();
    try {
      if (state == WorkerState.STARTING) {
        state = WorkerState.RUNNING; // not if a stop() already moved it on to DRAINING
      }
    } finally {
      admission.writeLock().unlock();
    }
    loopRan = true;
    ready.countDown();
  }

  private void runLoop() {
    try {
      dispatcher.run(RunType.RUN_UNTIL_EXIT);
      beginDrainingIfServing();
      // Follow-ups that requests offered behind the exit: at most DRAIN_FOLLOW_UP_LIMIT are
      // accepted while draining, so this ends.
      while (dispatcher.hasPendingPosts()) {
        dispatcher.run(RunType.NON_BLOCK);
      }
    } catch (Throwable t) { // everything: the end below must run, whatever the loop threw
      loopFailure = t;
      LOG.log(System.Logger.Level.ERROR, "worker '" + name + "': its loop failed; stopping", t);
    }
    end();
  }

  /** The thread's last act: final counts, STOPPED, and the dispatcher closed. */
  private void end() {
    admission.writeLock().lock();
    try {
      finalCounts = counts();
      state = WorkerState.STOPPED;
    } finally {
      admission.writeLock().unlock();
    }
    ready.countDown(); // an awaitReady() still waiting learns that the loop is gone
    dispatcher.close();
  }

  /**
   * A request called exit() on the dispatcher itself: stop taking offers and drain, as stop()
   * does. (Never STARTING here: the first callback was posted before anything that could exit.)
   */
  private void beginDrainingIfServing() {
    admission.writeLock().lock();
    try {
      if (state == WorkerState.RUNNING) {
        state = WorkerState.DRAINING;
      }
    } finally {
      admission.writeLock().unlock();
    }
  }

  private void report(Throwable error) {
    try {
      errors.requestFailed(name, error);
    } catch (Throwable handlerError) {
      LOG.log(System.Logger.Level.WARNING, "worker '" + name + "': the error handler threw "
          + handlerError + " while handling " + error + "; the worker keeps serving",
          handlerError);
    }
  }

  /** An accepted request as posted: counts how it ended and reports what it threw. */
  private final class Request implements Runnable {
    private final Runnable body;

    Request(Runnable body) {
      this.body = body;
    }

    @Override
    public void run() {
      try {
        body.run();
      } catch (Throwable t) {
        failed++; // single writer: this thread
        report(t);
        return;
      }
      completed++; // single writer: this thread
    }

    @Override
    public String toString() {
      return body.toString();
    }
  }

  /** Waits for {@code t} to end; an interrupt meanwhile is kept for the caller. */
  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
