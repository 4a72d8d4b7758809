package io.kallisto.cli;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small traces written through the real recorder with a virtual clock, so that every byte is
 * chosen by the test: no threads, no timing.
 */
final class CraftedTrace {
  /** Terminal control in a thread name: clear screen, retitle, carriage return, NUL, RLO. */
  static final String HOSTILE = "w\u001b[2J\u001b]0;pwned\u0007\r\u0000\u202eevil";

  private CraftedTrace() {}

  /** Two marks and a counter on one thread, at the times given. */
  static Path write(Path file, String threadName, String factValue, long... times) {
    AtomicLong clock = new AtomicLong(times[0]);
    Tracing.start(file, TraceOptions.defaults().virtualClock(clock::get).scenario("crafted")
        .fact("note", factValue));
    ThreadTrace thread = Tracing.newThread(threadName);
    ThreadTrace before = Tracing.actAs(thread);
    try {
      for (long t : times) {
        clock.set(t);
        Tracing.mark("mark " + threadName);
        Tracing.counter("depth", 1);
      }
    } finally {
      Tracing.actAs(before);
      Tracing.stop();
    }
    return file;
  }

  /**
   * A real loop on a thread named {@code threadName}: one post, run to completion, so that
   * {@code trace stats} has a row (queueing delay, callback run time) for that thread.
   */
  static Path loopOn(Path file, String threadName) throws InterruptedException {
    Tracing.start(file, TraceOptions.defaults().scenario("crafted-loop"));
    try {
      Thread loop = new Thread(() -> {
        try (Dispatcher d = Dispatchers.create("crafted")) {
          d.post(() -> { });
          d.run(RunType.BLOCK);
        }
      }, threadName);
      loop.start();
      loop.join();
    } finally {
      Tracing.stop();
    }
    return file;
  }

  /** A plain small trace: thread "t", marks at 0, 1000 and 2000 ns. */
  static Path plain(Path file) {
    return write(file, "t", "plain", 0, 1000, 2000);
  }
}
