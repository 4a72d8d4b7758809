package io.kallisto.exercises.support;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherStats;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileTriggerType;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import java.util.Objects;

/**
 * A {@link Dispatcher} that passes every call to a real one: a test extends it and overrides
 * the calls it watches or steers ({@code post}, {@code run}, {@code close}). Each method has
 * the thread rules of the dispatcher it wraps.
 *
 * <pre>{@code
 * Dispatcher counted = new ForwardingDispatcher(loop) {
 *   @Override public void post(Runnable callback) { posts.incrementAndGet(); super.post(callback); }
 * };
 * }</pre>
 */
public class ForwardingDispatcher implements Dispatcher {
  private final Dispatcher loop;

  /** Passes every call to {@code loop}. */
  public ForwardingDispatcher(Dispatcher loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  /** The real dispatcher: what {@code Dispatchers.current()} returns inside its loop. */
  public final Dispatcher loop() {
    return loop;
  }

  // Dispatcher

  @Override
  public String name() {
    return loop.name();
  }

  @Override
  public void post(Runnable callback) {
    loop.post(callback);
  }

  @Override
  public Timer createTimer(Runnable callback) {
    return loop.createTimer(callback);
  }

  @Override
  public FileEvent createFileEvent(int fd, FileReadyCallback callback, FileTriggerType trigger,
      int events) {
    return loop.createFileEvent(fd, callback, trigger, events);
  }

  @Override
  public void run(RunType type) {
    loop.run(type);
  }

  @Override
  public void exit() {
    loop.exit();
  }

  @Override
  public boolean isThreadSafe() {
    return loop.isThreadSafe();
  }

  @Override
  public long now() {
    return loop.now();
  }

  @Override
  public boolean hasPendingPosts() {
    return loop.hasPendingPosts();
  }

  @Override
  public DispatcherStats stats() {
    return loop.stats();
  }

  @Override
  public Thread loopThread() {
    return loop.loopThread();
  }

  @Override
  public void close() {
    loop.close();
  }

  @Override
  public String toString() {
    return loop.toString();
  }
}
