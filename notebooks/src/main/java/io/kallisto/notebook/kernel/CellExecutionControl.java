package io.kallisto.notebook.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs JShell snippets in the kernel's own JVM on one long-lived cell thread (thread-bound state
 * such as a {@code ThreadLocalInstance} made in one cell must work in the next), and keeps each
 * snippet's value as an object under a key that JShell passes back as the snippet's "value", for
 * rich display.
 *
 * <p><b>Stopping.</b> {@link #stop} interrupts the snippet running for a given {@link CellRun}.
 * If that snippet is still running {@value #STOP_GRACE_MILLIS} ms later, it is stopped by force
 * ({@code Thread.stop}, JDK 17 to 19). The force-stop is aimed at that snippet, not at the thread:
 * it fires only if the very same snippet (its generation) is still running, checked under
 * {@link #lock}, which a snippet must take to leave. If the snippet does not return
 * {@value #ABANDON_MILLIS} ms after that (on JDK 20+ at once, as {@code Thread.stop} throws there),
 * the thread is abandoned: the cell ends as interrupted, and the next snippet runs on a new cell
 * thread.
 *
 * <p>{@link #invoke(Method)} is called by JShell on the kernel's shell thread, as are
 * {@link #beginCell} and {@link #endCell}; {@link #stop} may come from any thread.
 */
final class CellExecutionControl extends DirectExecutionControl {
  /** How long a snippet may ignore an interrupt before it is stopped by force. */
  static final long STOP_GRACE_MILLIS = 1500;
  /** How long after a force-stop (or a failed one) before the cell thread is given up on. */
  static final long ABANDON_MILLIS = 1000;
  private static final String KEY_PREFIX = "kallisto-value#";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final InheritableThreadLocal<CellRun> owner;
  private final Runnable beforeSnippet;
  private final Object lock = new Object();
  /** The thread that runs snippets; replaced only when one is abandoned. */
  private CellThread cellThread; // guarded by lock
  /** The snippet running now, or null between snippets. */
  private Snippet running; // guarded by lock
  private int threadsStarted; // guarded by lock

  private CellRun run; // shell thread
  private long nextGeneration; // shell thread
  private boolean stopped; // shell thread
  private final Map<String, Object> values = new HashMap<>();
  private long nextKey;

  /**
   * @param owner the cell each thread belongs to: set on the cell thread for every snippet
   * @param beforeSnippet runs on the shell thread before each snippet runs
   */
  CellExecutionControl(InheritableThreadLocal<CellRun> owner, Runnable beforeSnippet) {
    this.owner = owner;
    this.beforeSnippet = beforeSnippet;
  }

  /** One {@code do_it} call, handed from the shell thread to the cell thread. */
  private static final class Snippet {
    final long generation;
    final CellRun run;
    final Method doit;
    final ClassLoader loader;
    final CompletableFuture<Object> result = new CompletableFuture<>();
    Thread thread; // set by the cell thread before it publishes the snippet as running
    boolean enforced; // guarded by lock: a force-stop was scheduled
    // Measured on the cell thread; read after result completes.
    long nanos;
    long threadCpu;
    long processCpu;

    Snippet(long generation, CellRun run, Method doit) {
      this.generation = generation;
      this.run = run;
      this.doit = doit;
      this.loader = doit.getDeclaringClass().getClassLoader();
    }

    @Override
    public String toString() {
      return "snippet " + generation + " of " + run;
    }
  }

  /** Why the shell thread stopped waiting: the snippet's thread was given up on. */
  private static final class Abandoned extends Exception {
    Abandoned(String message) {
      super(message, null, false, false);
    }
  }

  // ---- shell thread ------------------------------------------------------------------------

  /** A new cell begins; its snippets run as {@code run}. Shell thread. */
  void beginCell(CellRun run) {
    this.run = run;
    stopped = false;
  }

  /** The cell ended. Shell thread. */
  void endCell() {
    run = null;
  }

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    CellRun r = run;
    if (r == null) {
      throw new IllegalStateException("a snippet ran outside a cell; call beginCell first");
    }
    if (r.stopRequested()) {
      stopped = true;
      throw new StoppedException();
    }
    beforeSnippet.run();
    Snippet s = new Snippet(++nextGeneration, r, doitMethod);
    CellThread t;
    synchronized (lock) {
      if (cellThread == null) {
        threadsStarted++;
        cellThread = new CellThread(threadsStarted == 1 ? "kallisto-cell"
            : "kallisto-cell-" + threadsStarted);
      }
      t = cellThread;
    }
    t.submit(s);
    Object value;
    try {
      value = await(s.result);
    } catch (ExecutionException e) {
      r.addExecution(s.nanos, s.threadCpu, s.processCpu);
      Throwable cause = e.getCause();
      if (r.stopRequested() || cause instanceof Abandoned) {
        if (cause instanceof Abandoned) {
          r.report(cause.getMessage());
        }
        stopped = true;
        throw new StoppedException();
      }
      if (cause instanceof Exception) {
        throw (Exception) cause; // InvocationTargetException: the parent reports the user's
      }
      throw new InvocationTargetException(cause);
    }
    r.addExecution(s.nanos, s.threadCpu, s.processCpu);
    synchronized (values) {
      String key = KEY_PREFIX + nextKey++;
      values.put(key, value);
      return key;
    }
  }

  /** Waits for {@code f}; the shell thread is not interrupted, but an interrupt must not end this. */
  private static Object await(CompletableFuture<Object> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True once, after a snippet of the current cell was stopped by an interrupt. Shell thread. */
  boolean takeStopped() {
    boolean s = stopped;
    stopped = false;
    return s;
  }

  /** The object behind a value key JShell reported, or {@code key} itself if it is none. */
  Object value(String key) {
    synchronized (values) {
      return values.containsKey(key) ? values.get(key) : key;
    }
  }

  /** Forgets every kept value, so that a cell's objects do not outlive it here. */
  void clearValues() {
    synchronized (values) {
      values.clear();
    }
  }

  // ---- any thread --------------------------------------------------------------------------

  /**
   * Interrupts the snippet running for {@code r}, and keeps {@code r}'s later snippets from
   * starting; schedules the force-stop described in the class comment. Does nothing to a
   * snippet of another cell. Safe from any thread.
   */
  void stop(CellRun r) {
    r.requestStop();
    Snippet s;
    synchronized (lock) {
      s = running;
      if (s == null || s.run != r) {
        return;
      }
      // Under the lock: the snippet cannot leave, so the interrupt cannot hit the next one.
      s.thread.interrupt();
      if (s.enforced) {
        return;
      }
      s.enforced = true;
    }
    Thread enforcer = new Thread(() -> enforce(s), "kallisto-cell-stopper");
    enforcer.setDaemon(true);
    enforcer.start();
  }

  /** Whether a snippet of {@code r} is running now. Safe from any thread. */
  boolean isRunning(CellRun r) {
    synchronized (lock) {
      return running != null && running.run == r;
    }
  }

  /** The thread that runs snippets now, or null before the first. Safe from any thread. */
  Thread cellThread() {
    synchronized (lock) {
      return cellThread == null ? null : cellThread.thread;
    }
  }

  @SuppressWarnings({"deprecation", "removal"})
  private void enforce(Snippet s) {
    if (endsWithin(s, STOP_GRACE_MILLIS)) {
      return;
    }
    boolean unsupported = false;
    synchronized (lock) {
      if (running != s) {
        return; // it ended just now; the thread runs something else, or nothing
      }
      try {
        s.thread.stop(); // JDK 17-19; later JDKs throw UnsupportedOperationException
        s.run.report("The cell ignored the interrupt for " + STOP_GRACE_MILLIS / 1000.0
            + " s; the kernel stopped it by force (Thread.stop, Java "
            + Runtime.version().feature() + ").");
      } catch (UnsupportedOperationException e) {
        unsupported = true;
      }
    }
    if (!unsupported && endsWithin(s, ABANDON_MILLIS)) {
      return;
    }
    CellThread abandoned;
    synchronized (lock) {
      if (running != s) {
        return;
      }
      running = null;
      abandoned = cellThread;
      cellThread = null;
    }
    abandoned.abandon();
    s.result.completeExceptionally(new Abandoned("The cell's thread '" + s.thread.getName()
        + "' ignored the interrupt" + (unsupported ? ", and Java "
        + Runtime.version().feature() + " cannot stop a thread by force" : " and the force-stop")
        + ": it still runs (and uses a core if it spins) until you restart the kernel. The next"
        + " cell runs on a new cell thread; thread-bound state made on the old one (a"
        + " ThreadLocalInstance, a dispatcher run by the cell) must be made again."));
  }

  private static boolean endsWithin(Snippet s, long millis) {
    try {
      s.result.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  @Override
  public void close() {
    CellThread t;
    synchronized (lock) {
      t = cellThread;
      cellThread = null;
    }
    if (t != null) {
      t.abandon();
    }
    super.close();
  }

  // ---- the cell thread ---------------------------------------------------------------------

  /**
   * A thread that runs one snippet at a time. It waits with a plain monitor, which a late
   * {@code Thread.stop} cannot leave in a broken state (unlike a queue's lock).
   */
  private final class CellThread implements Runnable {
    final Thread thread;
    private Snippet next; // guarded by this
    private boolean abandoned; // guarded by this

    CellThread(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
      thread.start();
    }

    synchronized void submit(Snippet s) {
      next = s;
      notifyAll();
    }

    synchronized void abandon() {
      abandoned = true;
      notifyAll();
    }

    @Override
    public void run() {
      while (true) {
        Snippet s;
        try {
          synchronized (this) {
            while (next == null && !abandoned) {
              wait();
            }
            if (abandoned) {
              return;
            }
            s = next;
            next = null;
          }
        } catch (Throwable staleInterruptOrStop) {
          continue; // aimed at a snippet that had already ended: nothing to stop now
        }
        try {
          execute(s);
        } catch (Throwable late) {
          // A force-stop that landed after the snippet's own code, in the bookkeeping below.
          leave(s);
          s.result.completeExceptionally(late);
        }
        synchronized (this) {
          if (abandoned) {
            return;
          }
        }
      }
    }
  }

  private void execute(Snippet s) {
    Thread me = Thread.currentThread();
    owner.set(s.run);
    me.setContextClassLoader(s.loader);
    synchronized (lock) {
      // Publish the snippet, then look at the flag; stop() does the reverse under the same
      // lock, so an interrupt between two snippets is seen by one side or the other.
      if (s.run.stopRequested()) {
        s.result.completeExceptionally(new InterruptedException("the cell was interrupted"
            + " before this snippet"));
        return;
      }
      s.thread = me;
      running = s;
    }
    Object value = null;
    Throwable failure = null;
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long process0 = processCpuNanos();
    long start = System.nanoTime();
    try {
      value = s.doit.invoke(null);
    } catch (Throwable t) {
      failure = t;
    }
    s.nanos = System.nanoTime() - start;
    s.threadCpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    s.processCpu = processCpuNanos() - process0;
    leave(s);
    Thread.interrupted(); // an interrupt that came too late must not hit the next snippet
    if (failure == null) {
      s.result.complete(value);
    } else {
      s.result.completeExceptionally(failure);
    }
  }

  /** Ends {@code s}'s turn; a force-stop that lands while waiting for the lock is retried over. */
  private void leave(Snippet s) {
    while (true) {
      try {
        synchronized (lock) {
          if (running == s) {
            running = null;
          }
        }
        return;
      } catch (Throwable lateStop) {
        // The force-stop meant for s arrived as s was leaving: s has ended anyway.
      }
    }
  }

  /** CPU time of the whole JVM, or 0 where the platform does not say. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? Math.max(0, ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()) : 0;
  }
}
