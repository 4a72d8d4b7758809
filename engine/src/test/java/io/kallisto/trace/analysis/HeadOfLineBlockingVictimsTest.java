package io.kallisto.trace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Victims of a blocker counted from a trace written on a virtual clock: the requests queued
 * behind it when it began, and the ones that arrived while it ran (open-loop load).
 */
class HeadOfLineBlockingVictimsTest {
  private static final long MS = 1_000_000L;
  /** Where the virtual clock starts: a time of 0 means "not seen" to the analysis. */
  private static final long BASE = 1_000 * MS;

  @TempDir Path dir;

  private final long[] clock = {0};
  private ThreadTrace client;
  private ThreadTrace worker;
  private ThreadTrace other;

  private void at(long millis, ThreadTrace thread, Runnable record) {
    clock[0] = BASE + millis * MS;
    ThreadTrace previous = Tracing.actAs(thread);
    try {
      record.run();
    } finally {
      Tracing.actAs(previous);
    }
  }

  private void sent(long millis, long id) {
    at(millis, client, () -> Tracing.requestSent(id, 1));
  }

  private void served(ThreadTrace on, long begin, long end, long id) {
    at(begin, on, () -> Tracing.requestBegan(id, 2, 0));
    at(end, on, () -> Tracing.requestEnded(id, 2));
  }

  @Test
  void countsRequestsQueuedBehindAndRequestsThatArrivedWhileItRan() {
    Path file = dir.resolve("victims.ktrace");
    Tracing.start(file, TraceOptions.defaults().virtualClock(() -> clock[0]));
    try {
      client = Tracing.newThread("load-0");
      worker = Tracing.newThread("worker-0");
      other = Tracing.newThread("worker-1");
      sent(0, 1);   // the blocker, 10 ms to 30 ms
      sent(5, 2);   // queued behind it before it began
      sent(12, 3);  // arrived while it ran
      sent(20, 4);  // arrived while it ran
      sent(25, 5);  // sent while it ran, but to the other worker: not a victim
      sent(31, 6);  // sent after it ended: not a victim
      sent(40, 7);  // a later, separate request
      served(worker, 10, 30, 1);
      served(worker, 30, 31, 2);
      served(worker, 31, 32, 3);
      served(other, 25, 26, 5);
      served(worker, 32, 33, 4);
      served(worker, 33, 34, 6);
      served(worker, 40, 41, 7);
    } finally {
      Tracing.stop();
    }
    try (TraceFile t = TraceFile.open(file)) {
      HeadOfLineBlocking hol = HeadOfLineBlocking.of(t, 10 * MS);
      List<HeadOfLineBlocking.Blocker> blockers = hol.blockers();
      assertEquals(1, blockers.size(), blockers::toString);
      HeadOfLineBlocking.Blocker b = blockers.get(0);
      assertEquals(1, b.request());
      assertEquals(BASE + 10 * MS, b.begin());
      assertEquals(20 * MS, b.duration());
      assertEquals(1, b.queuedBehind(), "request 2 was sent before the blocker began");
      assertEquals(25 * MS, b.shortestWait());
      assertEquals(2, b.arrivedWhileRunning(), "requests 3 and 4, not 5 (other worker) or 6");
      assertEquals(3, b.victims());
    }
  }

  @Test
  void aBlockerWithNothingSentBeforeItEndedHasNoVictims() {
    Path file = dir.resolve("alone.ktrace");
    Tracing.start(file, TraceOptions.defaults().virtualClock(() -> clock[0]));
    try {
      client = Tracing.newThread("load-0");
      worker = Tracing.newThread("worker-0");
      sent(0, 1);
      sent(40, 2);
      served(worker, 1, 21, 1);
      served(worker, 40, 41, 2);
    } finally {
      Tracing.stop();
    }
    try (TraceFile t = TraceFile.open(file)) {
      HeadOfLineBlocking.Blocker b = HeadOfLineBlocking.of(t, 10 * MS).blockers().get(0);
      assertEquals(0, b.victims());
      assertEquals(0, b.shortestWait());
    }
  }
}
