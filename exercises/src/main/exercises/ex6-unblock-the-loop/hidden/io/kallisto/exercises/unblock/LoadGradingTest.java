package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.GradingTraces;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.TraceSession;
import io.kallisto.trace.Tracing;
import io.kallisto.trace.analysis.HeadOfLineBlocking;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: the service unblocked, proven by p99 and by the trace. A bounded mixed
 * load ({@link MixedLoad#STANDARD}: 8 connections on 2 loops, 4 % of requests a 40 ms SLEEP,
 * 1 % a 3 ms CPU) runs against YOUR service on 127.0.0.1.
 *
 * <p>The bars allow for the machine: the OS may stop any thread for tens of ms now and then
 * (another process, a GC), delaying the few requests in flight at that moment. So the latency
 * test counts how many ECHOs took 20 ms or more and wants fewer than 1 in 100, where a blocked
 * loop makes it about 1 in 10; the trace tests ask structural questions ("was this slow request
 * answered in the same callback that read it?") that no stall can change.
 */
@ExtendWith(TraceOnFailure.class)
class LoadGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(50);
  private static final Duration LATE = Duration.ofMillis(20);

  private static MixedLoad.Result load() {
    return assertTimeoutPreemptively(LIMIT, () -> {
      try (TestService s = TestService.start(Backend.REAL, 2, 8, 8)) {
        MixedLoad.Result r = MixedLoad.run(s.port(), MixedLoad.STANDARD);
        assertNull(r.problem(), s.explain("expected every request of the mixed load answered"
            + " correctly; " + r.problem()));
        assertNull(s.quietFailures(), "expected no exception during the mixed load: "
            + s.quietFailures());
        return r;
      }
    });
  }

  @Test
  @Points(6)
  void fastRequestsDoNotWaitBehindSlowOnesUnderAMixedLoad() {
    MixedLoad.Result r = load();
    int fast = r.fastNanos().length;
    int late = r.slowerThan(LATE);
    System.out.println("mixed load: " + r.summary() + "; " + late + " took " + LATE.toMillis()
        + " ms or more; " + r.slow() + " slow requests (" + r.busy() + " busy)");
    assertTrue(fast >= 300, "expected at least 300 echoes measured in 1.2 s; only " + fast
        + " were (" + r.summary() + ")");
    assertTrue(r.slow() >= 5, "expected the slow requests of the mix served; " + r.slow());
    assertTrue(late * 100 < fast, "expected fewer than 1 in 100 echoes to take "
        + LATE.toMillis() + " ms or more while 4 % of requests are 40 ms backend calls; " + late
        + " of " + fast + " did (" + r.summary() + "). A blocked loop makes it about 1 in 10: an"
        + " echo that arrives while its loop waits for the backend waits for the rest of that"
        + " call.");
  }

  /**
   * Runs the load traced (into the trace {@link TraceOnFailure} keeps if the test fails) and
   * returns the finished trace file.
   */
  private static Path tracedLoad(TestInfo info) {
    Path file;
    if (Tracing.isEnabled()) {
      TraceSession session = Tracing.activeSession();
      file = session.path();
    } else {
      file = GradingTraces.file(LoadGradingTest.class, info.getTestMethod().orElseThrow()
          .getName(), null);
      Tracing.start(file);
    }
    try {
      load();
    } finally {
      Tracing.stop();
    }
    return file;
  }

  /** A server-side request as the trace saw it. */
  private static final class Served {
    int kind;
    int beginThread = -1;
    long begin;
    int endThread = -1;
    long end;
  }

  @Test
  @Points(5)
  void theTraceShowsEverySlowRequestAnsweredInALaterCallbackThanTheOneThatReadIt(
      TestInfo info) {
    Path file = tracedLoad(info);
    Map<Integer, List<long[]>> callbacks = new HashMap<>(); // worker thread -> {start, end}
    Map<Long, Served> served = new HashMap<>();
    Map<Integer, String> names;
    try (TraceFile t = TraceFile.open(file)) {
      names = t.threads();
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK && e.callbackKind() != null
            && names.getOrDefault(e.thread(), "").startsWith("worker-")) {
          callbacks.computeIfAbsent(e.thread(), k -> new ArrayList<>())
              .add(new long[] {e.time(), e.end()});
        } else if ((e.type() == EventType.REQUEST_BEGIN || e.type() == EventType.REQUEST_END)
            && e.kind() != Tracing.CLIENT_SIDE) {
          Served s = served.computeIfAbsent(e.a(), id -> new Served());
          if (e.type() == EventType.REQUEST_BEGIN) {
            s.kind = e.small();
            s.beginThread = e.thread();
            s.begin = e.time();
          } else {
            s.endThread = e.thread();
            s.end = e.time();
          }
        }
      });
    }
    callbacks.values().forEach(l -> l.sort(Comparator.comparingLong(c -> c[0])));
    int slowSeen = 0;
    for (Map.Entry<Long, Served> entry : served.entrySet()) {
      Served s = entry.getValue();
      boolean slow = s.kind == RequestFrameDescriptor.KIND_SLEEP
          || s.kind == RequestFrameDescriptor.KIND_CPU;
      if (!slow || s.beginThread < 0 || s.endThread < 0) {
        continue;
      }
      slowSeen++;
      String what = "request " + entry.getKey() + " ("
          + (s.kind == RequestFrameDescriptor.KIND_SLEEP ? "SLEEP 40 ms" : "CPU 3 ms") + ")";
      assertTrue(s.endThread == s.beginThread, what + " was begun on '"
          + names.get(s.beginThread) + "' but its requestEnded was recorded on '"
          + names.get(s.endThread) + "': send the response, and record requestEnded, on the"
          + " connection's loop, after the outcome is posted back");
      long[] holder = containing(callbacks.get(s.beginThread), s.begin);
      if (holder != null && holder[1] >= s.end) {
        throw new AssertionError(what + " was read and answered inside one callback on '"
            + names.get(s.beginThread) + "', which ran "
            + String.format("%.1f ms", (holder[1] - holder[0]) / 1e6) + ": the loop waited for"
            + " the backend instead of serving its other connections. (Or requestEnded is"
            + " recorded before the response is really sent: record it right after the send"
            + " on the loop.)");
      }
    }
    assertTrue(slowSeen >= 5, "expected the trace to show the slow requests served (request"
        + " begin and end records on the workers); it shows " + slowSeen + ". Record"
        + " Tracing.requestBegan when the loop reads a request and Tracing.requestEnded when it"
        + " sends the response, as BlockingRequestHandler does.");
  }

  /** The callback of {@code sorted} (by start) whose span holds {@code time}, or null. */
  private static long[] containing(List<long[]> sorted, long time) {
    if (sorted == null) {
      return null;
    }
    int lo = 0;
    int hi = sorted.size() - 1;
    int found = -1;
    while (lo <= hi) { // the last callback starting at or before time
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid)[0] <= time) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && sorted.get(found)[1] >= time ? sorted.get(found) : null;
  }

  @Test
  @Points(5)
  void theHeadOfLineAnalysisFindsNoRequestQueuedBehindASlowOne(TestInfo info) {
    Path file = tracedLoad(info);
    HeadOfLineBlocking hol;
    try (TraceFile t = TraceFile.open(file)) {
      hol = HeadOfLineBlocking.of(t, LATE.toNanos());
    }
    assertTrue(hol.requests() >= 300, "expected the trace to join at least 300 requests (the"
        + " client's send with your loop's begin and end); it joins " + hol.requests()
        + ". Record Tracing.requestBegan and requestEnded as BlockingRequestHandler does.");
    long victims = 0;
    HeadOfLineBlocking.Blocker worst = null;
    for (HeadOfLineBlocking.Blocker b : hol.blockers()) {
      victims += b.queuedBehind();
      if (worst == null || b.queuedBehind() > worst.queuedBehind()) {
        worst = b;
      }
    }
    String worstText = worst == null || worst.queuedBehind() == 0 ? "" : "; the worst: request "
        + worst.request() + " held its loop " + String.format("%.1f ms", worst.duration() / 1e6)
        + " with " + worst.queuedBehind() + " requests queued behind it";
    System.out.println("head-of-line analysis: " + hol.requests() + " requests, "
        + hol.blockers().size() + " over " + LATE.toMillis() + " ms, " + victims
        + " queued behind them, " + hol.longWaits() + " waited " + LATE.toMillis()
        + " ms or more to begin; longest wait " + hol.longestWait() / 1_000_000 + " ms");
    assertTrue(victims * 100 < hol.requests(), "expected no request queued behind a slow one"
        + " (fewer than 1 in 100, allowing for the machine's own stalls); HeadOfLineBlocking"
        + " found " + victims + " of " + hol.requests() + " requests sent before a slow request"
        + " began on their loop and begun only after it ended" + worstText);
    assertTrue(hol.longWaits() * 100 < hol.requests(), "expected fewer than 1 in 100 requests"
        + " to wait " + LATE.toMillis() + " ms or more between the client's send and your"
        + " loop beginning them; " + hol.longWaits() + " of " + hol.requests() + " did (the"
        + " longest " + hol.longestWait() / 1_000_000 + " ms)");
  }
}
