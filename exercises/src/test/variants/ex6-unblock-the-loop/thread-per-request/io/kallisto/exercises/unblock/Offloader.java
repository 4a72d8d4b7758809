package io.kallisto.exercises.unblock;

import io.kallisto.event.Dispatcher;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * BUG (unbounded): a new thread for every task. The loop never waits, outcomes come back by a
 * post, and close() joins the threads; but nothing bounds how many run: a burst of slow requests
 * makes a burst of threads, and nothing is ever refused.
 */
public final class Offloader implements AutoCloseable {
  private final String name;
  private final int capacity;
  private final AtomicInteger next = new AtomicInteger();
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public Offloader(String name, int threads, int queueCapacity) {
    if (threads < 1 || queueCapacity < 0) {
      throw new IllegalArgumentException("threads=" + threads + ", queueCapacity="
          + queueCapacity);
    }
    this.name = name;
    this.capacity = threads + queueCapacity;
  }

  public <T> boolean offload(Supplier<T> work, Dispatcher loop, BiConsumer<T, Throwable> then) {
    if (closed) {
      return false;
    }
    Thread t = new Thread(() -> {
      T result = null;
      Throwable failure = null;
      try {
        result = work.get();
      } catch (Throwable e) {
        failure = e;
      }
      T r = result;
      Throwable f = failure;
      try {
        loop.post(() -> then.accept(r, f));
      } catch (IllegalStateException loopClosed) {
        // nothing to deliver to
      } finally {
        running.remove(Thread.currentThread());
      }
    }, name + "-" + next.getAndIncrement());
    t.setDaemon(true);
    running.add(t);
    t.start();
    return true;
  }

  public int capacity() {
    return capacity;
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : running) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
