package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests joined from a trace written on a virtual clock, and the worst blocker chosen by its
 * victims: one sleep on worker-0 with a request queued behind it and two arriving while it ran.
 */
class RequestsTest {
  private static final long MS = 1_000_000L;
  /** Where the virtual clock starts: a time of 0 means "not seen" to the join. */
  private static final long BASE = 1_000 * MS;

  @TempDir static Path dir;
  static Path trace;
  private static final long[] CLOCK = {0};

  private static void at(long millis, ThreadTrace thread, Runnable record) {
    CLOCK[0] = BASE + millis * MS;
    ThreadTrace previous = Tracing.actAs(thread);
    try {
      record.run();
    } finally {
      Tracing.actAs(previous);
    }
  }

  @BeforeAll
  static void recordATrace() {
    trace = dir.resolve("requests.ktrace");
    CLOCK[0] = BASE;
    Tracing.start(trace, TraceOptions.defaults().virtualClock(() -> CLOCK[0]));
    try {
      ThreadTrace load = Tracing.newThread("load-0");
      ThreadTrace w0 = Tracing.newThread("worker-0");
      ThreadTrace w1 = Tracing.newThread("worker-1");
      long[][] sends = {{1, 0}, {2, 5}, {3, 12}, {4, 20}, {5, 25}, {6, 31}, {7, 2}};
      for (long[] s : sends) {
        at(s[1], load, () -> Tracing.requestSent(s[0], 1));
      }
      // id, worker, kind, begin, end (ms); request 1 is a 20 ms sleep, 7 an echo on worker-1.
      long[][] served = {{7, 1, 0, 3, 4}, {1, 0, 2, 10, 30}, {5, 1, 0, 25, 26}, {2, 0, 0, 30, 31},
          {3, 0, 0, 31, 32}, {4, 0, 0, 32, 33}, {6, 0, 0, 33, 34}};
      for (long[] s : served) {
        ThreadTrace on = s[1] == 0 ? w0 : w1;
        at(s[3], on, () -> Tracing.requestBegan(s[0], 2, (int) s[2]));
        at(s[4], on, () -> Tracing.requestEnded(s[0], 2));
      }
      at(50, load, () -> Tracing.requestSent(8, 1)); // never served: left out
    } finally {
      Tracing.stop();
    }
  }

  @Test
  void joinsEachRequestsSendBeginEndAndWorkerInTheOrderSent() {
    Requests reqs = Requests.of(trace);
    assertEquals(7, reqs.size(), "request 8 was never served");
    List<Requests.Request> all = reqs.all();
    assertEquals(1, all.get(0).id());
    assertEquals(7, all.get(1).id(), "sent second, at 2 ms");
    Requests.Request sleep = all.get(0);
    assertEquals("worker-0", sleep.worker());
    assertEquals(2, sleep.kind());
    assertEquals(10 * MS, sleep.waitNanos());
    assertEquals(20 * MS, sleep.serviceNanos());
    assertEquals("worker-1", all.get(1).worker());
    // Sent on worker-0 while the sleep ran (10 to 30 ms): all began after it ended.
    List<Requests.Request> during = reqs.where(r -> r.worker().equals("worker-0")
        && r.sent() >= 10 * MS && r.sent() < 30 * MS);
    assertEquals(List.of(3L, 4L), during.stream().map(Requests.Request::id).toList());
    assertEquals(0, reqs.count(r -> r.worker().equals("worker-0") && r.sent() >= 10 * MS
        && r.sent() < 30 * MS && r.begun() < 30 * MS));
  }

  @Test
  void sentInKeepsTheRequestsSentInsideAWindow() {
    Window w = new Window(Duration.ofMillis(10), Duration.ofMillis(25), "test");
    List<Long> ids = Requests.of(trace).sentIn(w).stream().map(Requests.Request::id).toList();
    assertEquals(List.of(3L, 4L), ids, "25 ms is outside: the window ends there");
  }

  @Test
  void theWorstBlockerWindowHoldsTheBlockerAndNamesItsVictims() {
    Window w = Moments.worstBlocker(trace);
    assertTrue(w.from().toNanos() <= 10 * MS && w.to().toNanos() >= 30 * MS, w.toString());
    assertTrue(w.why().startsWith("worker-0:"), w.why());
    assertTrue(w.why().contains("worst blocker, 20 ms; 3 victims (1 queued before it, 2 arrived"
        + " during it); the last began 2 ms after it"), w.why());
    // From half the blocker's length before it to half its length after its last victim began.
    assertEquals(Duration.ofMillis(0), w.from());
    assertEquals(Duration.ofMillis(42), w.to());
  }

  @Test
  void theWorstBlockerAfterAMomentSkipsTheOnesBeforeIt() {
    // From 11 ms on: request 2 (30 to 31 ms) has requests 3 and 4 queued behind it.
    Window w = Moments.worstBlocker(trace, Duration.ofMillis(11));
    assertTrue(w.why().contains("worst blocker, 1 ms; 2 victims (2 queued before it, 0 arrived"
        + " during it)"), w.why());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Moments.worstBlocker(trace, Duration.ofMillis(45)));
    assertTrue(e.getMessage().contains("no request that held its loop"), e.getMessage());
  }
}
