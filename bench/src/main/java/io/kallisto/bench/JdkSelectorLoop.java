package io.kallisto.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The smallest honest event loop the JDK allows: a {@link Selector}, a
 * {@link ConcurrentLinkedQueue} of tasks and a {@link PriorityQueue} of timers, on one thread.
 * It is the baseline that shows what Kallisto and Netty add over plain Java.
 *
 * <p>Wakeups use the same idea as Netty and Kallisto: {@code awake} is true while the loop works.
 * A poster from another thread calls {@link Selector#wakeup()} only if it moves {@code awake}
 * from false to true. The loop clears {@code awake} and then re-checks the queue before it
 * selects, so either the poster sees false or the loop sees the task; no wakeup is lost.
 *
 * <p><b>Note:</b> {@link Selector#select(long)} takes milliseconds, so timers fire up to 1 ms
 * late: the deadline is rounded up, never down, so that they never fire early.
 */
final class JdkSelectorLoop implements BenchLoop {
  private static final int BATCH = 1024;
  private static final int PURGE_AT = 1024;

  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean awake = new AtomicBoolean(true);
  private final Thread thread;
  private volatile boolean stopping;

  // Loop-thread only.
  private final PriorityQueue<JdkTimer> timers = new PriorityQueue<>();
  private long timerSequence;
  private int cancelledTimers;

  JdkSelectorLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("Selector.open() failed", e);
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  // BenchLoop

  @Override
  public String name() {
    return Loops.JDK;
  }

  @Override
  public void execute(Runnable task) {
    tasks.offer(task);
    // The plain read first: the CAS costs more, and a busy loop is usually awake.
    if (Thread.currentThread() != thread && !awake.get() && awake.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  @Override
  public Object schedule(Runnable task, long delayNanos) {
    JdkTimer timer = new JdkTimer(task, System.nanoTime() + delayNanos, timerSequence++);
    timers.add(timer);
    return timer;
  }

  @Override
  public void cancel(Object handle) {
    JdkTimer timer = (JdkTimer) handle;
    if (!timer.cancelled && !timer.fired) {
      timer.cancelled = true;
      // Removal from a PriorityQueue is a linear search, so cancelled timers stay queued and
      // are purged in one pass once they are many.
      if (++cancelledTimers >= PURGE_AT && cancelledTimers > timers.size() / 2) {
        timers.removeIf(t -> t.cancelled);
        cancelledTimers = 0;
      }
    }
  }

  @Override
  public void close() {
    stopping = true;
    selector.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new IllegalStateException("JDK loop '" + thread.getName()
          + "' did not stop within 10 s");
    }
    try {
      selector.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Selector.close() failed", e);
    }
  }

  // ---- the loop ------------------------------------------------------------------------------

  private void run() {
    try {
      while (!stopping) {
        runTasks();
        long nextDeadline = runDueTimers();
        if (!tasks.isEmpty()) {
          continue;
        }
        awake.set(false);
        // Re-check after clearing 'awake': a post that raced with us may have seen it true.
        if (!tasks.isEmpty() || stopping) {
          awake.set(true);
          continue;
        }
        if (nextDeadline == Long.MAX_VALUE) {
          selector.select();
        } else {
          long waitNanos = nextDeadline - System.nanoTime();
          if (waitNanos > 0) {
            selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
          }
        }
        awake.set(true);
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("select() failed on " + thread.getName(), e);
    }
  }

  private void runTasks() {
    // Bounded so that a flood of posts cannot starve the timers.
    for (int i = 0; i < BATCH; i++) {
      Runnable task = tasks.poll();
      if (task == null) {
        return;
      }
      task.run();
    }
  }

  /** Runs the timers that are due and returns the next deadline, or Long.MAX_VALUE. */
  private long runDueTimers() {
    long now = System.nanoTime();
    JdkTimer first;
    while ((first = timers.peek()) != null) {
      if (first.cancelled) {
        timers.poll();
        cancelledTimers--;
        continue;
      }
      if (first.deadline > now) {
        return first.deadline;
      }
      timers.poll();
      first.fired = true;
      first.task.run();
    }
    return Long.MAX_VALUE;
  }

  /** One pending timer; ties on the deadline keep scheduling order. */
  private static final class JdkTimer implements Comparable<JdkTimer> {
    final Runnable task;
    final long deadline;
    final long sequence;
    boolean cancelled;
    boolean fired;

    JdkTimer(Runnable task, long deadline, long sequence) {
      this.task = task;
      this.deadline = deadline;
      this.sequence = sequence;
    }

    @Override
    public int compareTo(JdkTimer o) {
      int c = Long.compare(deadline, o.deadline);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }
}
