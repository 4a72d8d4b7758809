package io.kallisto.bench;

import io.kallisto.event.HeapTimerQueue;
import io.kallisto.event.PostQueue;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.event.epoll.EpollDispatcher;
import java.time.Duration;

/** Kallisto's {@link EpollDispatcher} running {@link RunType#RUN_UNTIL_EXIT} on its own thread. */
final class KallistoLoop implements BenchLoop {
  private final String kind;
  private final EpollDispatcher dispatcher;
  private final Thread thread;

  /** Kallisto as shipped. */
  KallistoLoop(String name) {
    this(Loops.KALLISTO, EpollDispatcher.create(name));
  }

  /** Kallisto with another post queue: a diagnosis variant named {@code kind}. */
  KallistoLoop(String kind, String name, PostQueue posts) {
    this(kind, EpollDispatcher.create(name, posts, new HeapTimerQueue()));
  }

  private KallistoLoop(String kind, EpollDispatcher dispatcher) {
    this.kind = kind;
    this.dispatcher = dispatcher;
    String name = dispatcher.name();
    thread = new Thread(() -> dispatcher.run(RunType.RUN_UNTIL_EXIT), name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The dispatcher, for benchmarks that open connections on it (loop-only use). */
  EpollDispatcher dispatcher() {
    return dispatcher;
  }

  // BenchLoop

  @Override
  public String name() {
    return kind;
  }

  @Override
  public void execute(Runnable task) {
    dispatcher.post(task);
  }

  @Override
  public Object schedule(Runnable task, long delayNanos) {
    Timer timer = dispatcher.createTimer(task);
    timer.enable(Duration.ofNanos(delayNanos));
    return timer;
  }

  @Override
  public void cancel(Object handle) {
    ((Timer) handle).disable();
  }

  @Override
  public void close() {
    dispatcher.exit();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new IllegalStateException("Kallisto loop '" + dispatcher.name()
          + "' did not exit within 10 s");
    }
    // No run() is in progress any more, so any thread may close.
    dispatcher.close();
  }
}
