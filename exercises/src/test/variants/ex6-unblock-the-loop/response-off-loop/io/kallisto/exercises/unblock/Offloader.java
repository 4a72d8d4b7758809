package io.kallisto.exercises.unblock;

import io.kallisto.event.Dispatcher;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * BUG (outcome off the loop): then() runs on the pool thread, not posted to the loop.
 *
 * A bounded pool of threads for blocking work, shared by every loop of a server: a loop hands
 * it work that would block, goes on serving, and hears the outcome later by a post to itself.
 *
 * <p><b>Bounded.</b> At most {@code threads} tasks run at once and at most {@code queueCapacity}
 * more wait; beyond that {@link #offload} refuses at once, so a burst of slow requests can
 * neither queue without limit nor make the calling loop wait.
 *
 * <p><b>Threads.</b> {@link #offload} is safe from any thread and never blocks. {@link #close}
 * may be called from any thread but a pool thread.
 *
 * <pre>{@code
 * Offloader offloader = new Offloader("lookup", 4, 64);
 * // on a loop:
 * boolean accepted = offloader.offload(() -> backend.serve(kind, nanos), loop,
 *     (spent, failure) -> { ... on the loop again: answer, or handle the failure ... });
 * ...
 * offloader.close();
 * }</pre>
 */
public final class Offloader implements AutoCloseable {
  private final String name;
  private final int capacity;
  private final ThreadPoolExecutor pool;
  /**
   * Tasks accepted whose work has not finished. The executor's queue is unbounded: this count is
   * the bound, because a bounded executor queue counts only tasks no thread has taken yet, and
   * that races with the threads taking them.
   */
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();

  /**
   * A pool of {@code threads} threads named {@code name-0}, {@code name-1}, ..., with room for
   * {@code queueCapacity} tasks waiting.
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code queueCapacity < 0}
   */
  public Offloader(String name, int threads, int queueCapacity) {
    if (threads < 1 || queueCapacity < 0) {
      throw new IllegalArgumentException("threads=" + threads + ", queueCapacity="
          + queueCapacity + "; need threads >= 1 and queueCapacity >= 0");
    }
    this.name = Objects.requireNonNull(name, "name");
    this.capacity = threads + queueCapacity;
    AtomicInteger next = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + next.getAndIncrement());
          t.setDaemon(true); // a forgotten close() must not keep the JVM alive
          poolThreads.add(t);
          return t;
        });
  }

  /**
   * Runs {@code work} on a pool thread, then {@code then} on {@code loop}'s thread by a post,
   * exactly once: with the result and a null failure, or a null result and what {@code work}
   * threw. Safe from any thread; never blocks. If {@code loop} has closed by the time the work is
   * done, {@code then} is dropped: no one is left to tell.
   *
   * @return true if accepted; false, having run nothing, when {@code threads} tasks run and
   *     {@code queueCapacity} wait already, or after {@link #close}
   */
  public <T> boolean offload(Supplier<T> work, Dispatcher loop, BiConsumer<T, Throwable> then) {
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(then, "then");
    if (pool.isShutdown() || !admit()) {
      return false;
    }
    try {
      pool.execute(() -> run(work, loop, then));
      return true;
    } catch (RejectedExecutionException closed) {
      outstanding.decrementAndGet();
      return false;
    }
  }

  private boolean admit() {
    while (true) {
      int n = outstanding.get();
      if (n >= capacity) {
        return false;
      }
      if (outstanding.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private <T> void run(Supplier<T> work, Dispatcher loop, BiConsumer<T, Throwable> then) {
    T result = null;
    Throwable failure = null;
    try {
      result = work.get();
    } catch (Throwable t) {
      failure = t;
    } finally {
      outstanding.decrementAndGet(); // the thread is free again, whatever the loop does next
    }
    // The outcome is ready: hand it over straight away.
    then.accept(result, failure);
  }

  /** The most tasks that may be running and waiting at once: threads plus queue capacity. */
  public int capacity() {
    return capacity;
  }

  /**
   * Stops accepting work, lets the work already accepted finish (its outcomes are still posted),
   * and returns once every pool thread has ended. Idempotent.
   *
   * @throws IllegalStateException on a pool thread, which would wait for itself
   */
  @Override
  public void close() {
    if (poolThreads.contains(Thread.currentThread())) {
      throw new IllegalStateException("close() on '" + Thread.currentThread().getName()
          + "', a thread of the pool '" + name + "', would wait for itself");
    }
    pool.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
