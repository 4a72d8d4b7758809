package io.kallisto.bench;

import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.event.epoll.EpollDispatcher;
import java.time.Duration;

/** Kallisto's {@link EpollDispatcher} running {@link RunType#RUN_UNTIL_EXIT} on its own thread. */
final class KallistoLoop implements BenchLoop {
  private final EpollDispatcher dispatcher;
  private final Thread thread;

  KallistoLoop(String name) {
    dispatcher = EpollDispatcher.create(name);
    thread = new Thread(() -> dispatcher.run(RunType.RUN_UNTIL_EXIT), name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The dispatcher, for statistics. */
  EpollDispatcher dispatcher() {
    return dispatcher;
  }

  // BenchLoop

  @Override
  public String name() {
    return Loops.KALLISTO;
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
  public long wakeups() {
    return dispatcher.stats().wakeupsWritten();
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
