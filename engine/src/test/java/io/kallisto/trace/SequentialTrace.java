package io.kallisto.trace;

import java.nio.file.Path;

/**
 * A deterministic multi-block trace for reader tests: {@code threads} threads, recorded one at
 * a time so that the file's bytes never depend on the scheduler, each {@code events} 5 ns post
 * callbacks 10 ns apart on a virtual clock (the i-th at {@code i * 10}, its {@code b} = i),
 * labelled {@code "callback T.K"} with K = i / {@code labelEvery}. At 2,048 records a block, a
 * thread of 21,000 events fills ten blocks and part of an eleventh.
 */
final class SequentialTrace {
  private SequentialTrace() {}

  /** Records the trace into {@code file}; threads are named {@code name-0, name-1...}. */
  static Path record(Path file, String name, int threads, int events, int labelEvery)
      throws InterruptedException {
    TraceSession session = Tracing.start(file, TraceOptions.defaults().scenario(name)
        .virtualClock(() -> 0));
    try {
      for (int n = 0; n < threads; n++) {
        int thread = n;
        Thread t = new Thread(() -> {
          ThreadTrace trace = Tracing.currentThread();
          for (int i = 0; i < events; i++) {
            trace.record(EventType.CALLBACK, CallbackKind.POST.code(), thread,
                session.intern("callback " + thread + "." + i / labelEvery), i * 10L, 5, i);
          }
        }, name + "-" + n);
        t.start();
        t.join();
      }
    } finally {
      Tracing.stop();
    }
    return file;
  }
}
