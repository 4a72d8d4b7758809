package io.kallisto.notebook.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs JShell snippets in the kernel's own JVM, each on one long-lived cell thread so that an
 * interrupt can reach it, and keeps each snippet's value as an object (not a string) under a key
 * that JShell passes back as the snippet's "value", for rich display.
 *
 * <p>{@link #invoke(Method)} is called by JShell on the kernel's shell thread; {@link #stop()}
 * on whichever thread handles the interrupt.
 */
final class CellExecutionControl extends DirectExecutionControl {
  private static final String KEY_PREFIX = "kallisto-value#";
  /** How long a cell may ignore an interrupt before its thread is stopped by force. */
  private static final long STOP_GRACE_MILLIS = 1500;

  private final ExecutorService cellThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kallisto-cell");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Object> values = new HashMap<>();
  private long nextKey;
  private volatile Thread running;
  private volatile boolean stopRequested;
  private volatile boolean stopped;

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    ClassLoader loader = doitMethod.getDeclaringClass().getClassLoader();
    Future<Object> result = cellThread.submit(() -> {
      Thread.currentThread().setContextClassLoader(loader);
      // Publish the thread, then look at the flag; stop() does the reverse, so an interrupt
      // between two snippets of a cell is seen by one side or the other, never lost.
      running = Thread.currentThread();
      try {
        if (stopRequested) {
          throw new InterruptedException("the cell was interrupted before this snippet");
        }
        return doitMethod.invoke(null);
      } finally {
        running = null;
        Thread.interrupted(); // an interrupt that came too late must not hit the next cell
      }
    });
    try {
      Object value = result.get();
      synchronized (values) {
        String key = KEY_PREFIX + nextKey++;
        values.put(key, value);
        return key;
      }
    } catch (ExecutionException e) {
      if (stopRequested) {
        stopped = true;
        throw new StoppedException();
      }
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause; // InvocationTargetException: the parent reports the user's
      }
      throw new InvocationTargetException(cause);
    }
  }

  /** A new cell begins: an interrupt of an earlier one no longer applies. Shell thread. */
  void beginCell() {
    stopRequested = false;
    stopped = false;
  }

  /**
   * Interrupts the running cell, and its later snippets; stops its thread by force if it
   * ignores the interrupt. Safe from any thread.
   */
  @Override
  public void stop() {
    stopRequested = true;
    Thread t = running;
    if (t == null) {
      return;
    }
    t.interrupt();
    Thread enforcer = new Thread(() -> forceStop(t), "kallisto-cell-stopper");
    enforcer.setDaemon(true);
    enforcer.start();
  }

  @SuppressWarnings({"deprecation", "removal"})
  private void forceStop(Thread t) {
    try {
      t.join(STOP_GRACE_MILLIS);
      if (running == t) {
        t.stop(); // JDK 17-19; later JDKs throw UnsupportedOperationException
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (UnsupportedOperationException e) {
      System.err.println("The cell ignores interrupts and this JDK cannot stop a thread by"
          + " force; restart the kernel (Kernel > Restart).");
    }
  }

  /** True once, after a cell was stopped by an interrupt. */
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

  /** The cell thread's id, for CPU time; -1 before the first cell. */
  long cellThreadId() throws InterruptedException {
    try {
      return cellThread.submit(() -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    cellThread.shutdownNow();
    super.close();
  }
}
