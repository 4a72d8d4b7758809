package io.kallisto.trace;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process for {@link TraceReplacementTest} to kill: starts tracing into {@code args[0]} with
 * a virtual clock, records {@value #MARKS} marks (whole blocks reach the file as each buffer
 * fills, with no writer thread and no timing), prints "recorded", then waits on stdin forever.
 */
public final class KilledMidTrace {
  /** More than two buffers' worth, so that two blocks of events are in the file. */
  static final int MARKS = 2 * TraceBuffer.RECORDS + 100;

  private KilledMidTrace() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    AtomicLong clock = new AtomicLong();
    Tracing.start(Path.of(args[0]), TraceOptions.defaults().virtualClock(clock::get)
        .scenario("killed"));
    for (int i = 0; i < MARKS; i++) {
      clock.incrementAndGet();
      Tracing.mark("m");
    }
    System.out.println("recorded");
    System.out.flush();
    System.in.read(); // the test kills us here
  }
}
