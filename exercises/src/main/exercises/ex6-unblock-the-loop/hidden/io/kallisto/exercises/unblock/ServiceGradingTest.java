package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.exercises.support.GradingTraces;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.exercises.unblock.ProtocolClient.Request;
import io.kallisto.exercises.unblock.ProtocolClient.Response;
import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests of the service end to end, on the engine's real loops over 127.0.0.1:
 * every request answered exactly once and correctly, a connection that closes mid-request left
 * alone, the offloader's bound answered with BUSY, a failed backend call contained.
 */
@ExtendWith(TraceOnFailure.class)
class ServiceGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(45);
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** The mark the trace test records as it lets the held request go. */
  private static final String LET_GO = "test: the backend lets the SLEEP go";
  private static final Map<Integer, String> KIND_NAMES = Map.of(RequestFrameDescriptor.KIND_ECHO,
      "ECHO", RequestFrameDescriptor.KIND_CPU, "CPU", RequestFrameDescriptor.KIND_SLEEP, "SLEEP");

  /** A real backend (short waits and spins) that notes any call made on a loop thread. */
  private static final class WatchedBackend implements Backend {
    final Set<String> onLoop = ConcurrentHashMap.newKeySet();

    @Override
    public long serve(int kind, long serviceNanos) {
      Dispatcher d = Dispatchers.current();
      if (d != null) {
        onLoop.add("kind " + kind + " on loop '" + d.name() + "'");
      }
      return Backend.REAL.serve(kind, serviceNanos);
    }
  }

  @Test
  @Points(6)
  void everyRequestIsAnsweredExactlyOnceWithItsIdAndPayload() {
    int runs = 4;
    List<String> failures = new ArrayList<>();
    assertTimeoutPreemptively(LIMIT, () -> {
      String handOver = aHeldFrameOutlivesTheNextRead();
      if (handOver != null) {
        failures.add("a request held in the backend: " + handOver);
      }
      for (int run = 1; run <= runs && failures.size() < 2; run++) {
        String failure = exactlyOnceRun(run);
        if (failure != null) {
          failures.add("run " + run + ": " + failure);
        }
      }
    });
    assertTrue(failures.isEmpty(), "failed in " + failures.size() + " of the runs made (up to "
        + runs + ", stopping at the second failure); first: "
        + (failures.isEmpty() ? "" : failures.get(0)));
  }

  /**
   * The hand-over, without timing luck: a frame given to the offloader must outlive the read it
   * came in, because the loop reads the next bytes into the same buffer ({@code FrameAssembler}
   * starts again at its front once every frame of a read has been handed out). One connection
   * sends a SLEEP request that the backend holds; once it is held, an ECHO of the same size,
   * whose answer proves the loop has read it over the SLEEP's bytes; then the SLEEP is let go,
   * and its answer must still carry its own id and payload. Null if it does, else the problem.
   */
  private static String aHeldFrameOutlivesTheNextRead() throws InterruptedException {
    GatedBackend backend = new GatedBackend();
    try (TestService s = TestService.start(backend, 1, 2, 8);
        ProtocolClient c = new ProtocolClient(s.port())) {
      int payload = 96;
      try {
        long held = c.send(new Request(RequestFrameDescriptor.KIND_SLEEP, 1_000_000, payload));
        if (!backend.awaitEntered(1, WAIT)) {
          return s.explain("request " + held + " did not reach the backend within "
              + WAIT.toSeconds() + " s");
        }
        long echo = c.send(new Request(RequestFrameDescriptor.KIND_ECHO, 0, payload));
        Response e = c.receive(WAIT);
        if (e == null) {
          return s.explain("the ECHO sent while a SLEEP was in the backend was not answered"
              + " within " + WAIT.toSeconds() + " s");
        }
        if (e.problem() != null || e.id() != echo) {
          return e.problem() != null ? e.problem() : "expected the ECHO " + echo
              + " answered first (the SLEEP " + held + " was held), got " + e.id();
        }
      } finally {
        backend.open();
      }
      Response r = c.receive(WAIT);
      if (r == null) {
        return s.explain("the held SLEEP was not answered within " + WAIT.toSeconds()
            + " s of its release");
      }
      return r.problem() != null ? r.problem() + " (the SLEEP's frame was read again after"
          + " the loop had read the ECHO into the same buffer: copy each frame you hand to"
          + " another thread)" : s.quietFailures();
    }
  }

  /**
   * 4 connections on 2 loops, each pipelining 240 mixed requests (echo, short SLEEP and CPU,
   * payloads of 0 to 400 bytes) in writes of 40 frames, so one read holds many frames; then
   * every response is read and checked. Null if all is well, else the first problem.
   */
  private static String exactlyOnceRun(long seed) {
    WatchedBackend backend = new WatchedBackend();
    int connections = 4;
    int perConnection = 240;
    try (TestService s = TestService.start(backend, 2, 4, 4096)) {
      List<ProtocolClient> clients = new ArrayList<>();
      try {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < connections; i++) {
          clients.add(new ProtocolClient(s.port()));
        }
        for (int batch = 0; batch < perConnection / 40; batch++) {
          for (ProtocolClient c : clients) {
            List<Request> requests = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
              int payload = random.nextInt(401);
              int roll = random.nextInt(100);
              requests.add(roll < 55 ? new Request(RequestFrameDescriptor.KIND_ECHO, 0, payload)
                  : roll < 90 ? new Request(RequestFrameDescriptor.KIND_SLEEP,
                      random.nextLong(100_000, 1_500_000), payload)
                  : new Request(RequestFrameDescriptor.KIND_CPU, 50_000, payload));
            }
            c.sendAll(requests);
          }
        }
        int answered = 0;
        for (ProtocolClient c : clients) {
          while (c.outstanding() > 0) {
            Response r = c.receive(WAIT);
            if (r == null) {
              return s.explain(c.outstanding() + " request(s) on a connection not answered"
                  + " within " + WAIT.toSeconds() + " s of the last response");
            }
            if (r.problem() != null) {
              return r.problem();
            }
            if (r.busy()) {
              return "request " + r.id() + " answered BUSY, though the offloader had room for"
                  + " 4,096 tasks and at most 960 were sent";
            }
            answered++;
          }
          // Nothing more may come: a late duplicate would show up here.
          Response extra = c.receive(Duration.ofMillis(50));
          if (extra != null) {
            return "an extra response after every request was answered: " + extra.problem();
          }
        }
        long counted = s.requestsCounted();
        if (counted != answered) {
          return "the workers' counters say " + counted + " requests served, the clients got "
              + answered + " responses (count each response once, with"
              + " WorkerCounters.requestServed(), on the loop)";
        }
        if (!backend.onLoop.isEmpty()) {
          return "the backend was called on a loop thread: " + backend.onLoop;
        }
        return s.quietFailures();
      } finally {
        clients.forEach(ProtocolClient::close);
      }
    }
  }

  @Test
  @Points(5)
  void aConnectionClosedDuringItsLookupGetsNoWriteAndCausesNoError() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend backend = new GatedBackend();
      TestService s = TestService.start(backend, 1, 2, 8);
      try {
        try (ProtocolClient leaving = new ProtocolClient(s.port())) {
          try {
            leaving.sendAll(List.of(Request.sleep(Duration.ofMillis(20)),
                Request.cpu(Duration.ofMillis(5))));
            assertTrue(backend.awaitEntered(2, WAIT), s.explain("expected both requests in the"
                + " backend within " + WAIT.toSeconds() + " s"));
            leaving.close();
            assertTrue(s.awaitServerCloses(1, WAIT), s.explain("expected the server to see the"
                + " connection close within " + WAIT.toSeconds() + " s"));
          } finally {
            backend.open(); // the work finishes after its connection has gone
          }
        }
        // Another client on the same loop, so we know the loop is alive and has run what the
        // pool posted to it by the time this is answered.
        try (ProtocolClient next = new ProtocolClient(s.port())) {
          next.send(Request.sleep(Duration.ofMillis(1)));
          Response r = next.receive(WAIT);
          assertNotNull(r, s.explain("expected a new connection served after the old one"
              + " closed"));
          assertNull(r.problem(), r.problem());
        }
        s.offloader().close(); // every accepted task finished and its outcome posted...
        s.flushLoops(); // ... and run on its loop
        String quiet = s.quietFailures();
        assertNull(quiet, "expected the outcome of a request whose connection closed to be"
            + " dropped quietly on its loop (check Connection.isClosed() there; never send()"
            + " to a closed connection); instead: " + quiet);
      } finally {
        backend.open();
        s.close();
      }
    });
  }

  @Test
  @Points(2)
  void aConnectionResetWithRequestsUnreadIsClosedWithoutAnError() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (TestService s = TestService.start(new GatedBackend(), 1, 2, 8);
          ProtocolClient crashing = new ProtocolClient(s.port())) {
        long id = crashing.send(Request.echo());
        Response first = crashing.receive(WAIT);
        assertNotNull(first, s.explain("expected an ECHO answered within " + WAIT.toSeconds()
            + " s"));
        assertEquals(id, first.id(), "expected the ECHO's own response");
        // Requests, then a reset, while the loop is busy: when it reads them, answering the
        // first fails, as the peer has gone, and send() closes the connection.
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        s.loops().get(0).post(() -> {
          busy.countDown();
          try {
            letGo.await(30, TimeUnit.SECONDS); // bounded: a lost test cannot hold the loop
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        try {
          assertTrue(busy.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the loop is held");
          crashing.sendAll(List.of(Request.echo(), Request.echo(), Request.echo()));
          crashing.reset();
          // A handshake after the reset, over the same loopback: by the time it completes the
          // reset has in practice reached the server's socket too. (Had it not, the requests
          // are answered and the reset read later: the test then passes whatever the code.)
          new ProtocolClient(s.port()).close();
        } finally {
          letGo.countDown();
        }
        assertTrue(s.awaitServerCloses(1, WAIT), s.explain("expected the server to close a"
            + " connection its client had reset, within " + WAIT.toSeconds() + " s"));
        s.flushLoops();
        assertNull(s.quietFailures(), "expected a connection whose client reset it, with"
            + " requests it had sent still unread, closed quietly; instead: " + s.quietFailures()
            + ". send() closes the connection when the peer has gone: check"
            + " Connection.isClosed() before answering the next request (onFrame returns"
            + " false to stop the frames of a closed connection)");
      }
    });
  }

  @Test
  @Points(4)
  void requestsBeyondTheOffloadersCapacityAreAnsweredBusyAtOnce() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend backend = new GatedBackend();
      // 1 thread + 1 queued: of 4 SLEEP requests pipelined, 2 are accepted and 2 refused.
      try (TestService s = TestService.start(backend, 1, 1, 1);
          ProtocolClient c = new ProtocolClient(s.port())) {
        long[] ids;
        try {
          long read = s.bytesRead();
          ids = c.sendAll(List.of(Request.sleep(Duration.ofMillis(3)),
              Request.sleep(Duration.ofMillis(3)), Request.sleep(Duration.ofMillis(3)),
              Request.sleep(Duration.ofMillis(3))));
          assertTrue(s.awaitRead(read, 4 * (RequestFrameDescriptor.HEADER + 32),
              Duration.ofSeconds(5)), s.explain("expected the loop to read the 4 requests and"
                  + " answer the refused ones at once; it was still on them 5 s later (was the"
                  + " refused work run on the loop, as ThreadPoolExecutor.CallerRunsPolicy"
                  + " would?)"));
          // The refused requests have been answered by now, so an ECHO sent after them is
          // answered after them: a BUSY that was never sent shows at once, not by a timeout.
          long marker = c.send(Request.echo());
          Set<Long> busy = new HashSet<>();
          for (int i = 0; i < 2; i++) {
            Response r = c.receive(Duration.ofSeconds(5));
            assertNotNull(r, s.explain("expected 2 of 4 requests answered BUSY at once while the"
                + " offloader (1 thread, 1 queued) was full; got " + i + " response(s) in 5 s"));
            assertNull(r.problem(), r.problem());
            assertTrue(r.id() != marker, s.explain("expected 2 of 4 requests answered BUSY at"
                + " once, as the loop read them, while the offloader (1 thread, 1 queued) was"
                + " full; " + i + " were answered before an ECHO sent after the loop had read"
                + " all 4 (was the refused work accepted anyway, or left unanswered?)"));
            assertTrue(r.busy(), "expected response " + r.id() + " to have FLAG_BUSY, since the"
                + " backend still held the accepted requests");
            busy.add(r.id());
          }
          Response echo = c.receive(Duration.ofSeconds(5));
          assertNotNull(echo, s.explain("expected the ECHO sent after the refused requests"
              + " answered while the backend still held the accepted ones"));
          assertEquals(marker, echo.id(), "expected the ECHO's own response");
          assertNull(echo.problem(), echo.problem());
          assertEquals(Set.of(ids[2], ids[3]), busy, "expected the 3rd and 4th requests refused"
              + " (the 1st and 2nd filled the offloader)");
          assertTrue(backend.entered() <= 1, "expected at most 1 backend call running with 1"
              + " thread; " + backend.entered());
        } finally {
          backend.open();
        }
        Set<Long> served = new HashSet<>();
        for (int i = 0; i < 2; i++) {
          Response r = c.receive(WAIT);
          assertNotNull(r, s.explain("expected the 2 accepted requests answered once the"
              + " backend returned"));
          assertNull(r.problem(), r.problem());
          assertFalse(r.busy(), "expected accepted request " + r.id() + " served, not BUSY");
          served.add(r.id());
        }
        assertEquals(Set.of(ids[0], ids[1]), served, "expected the 1st and 2nd requests served");
        assertEquals(2, backend.entered(), "expected only the 2 accepted requests to reach the"
            + " backend");
      }
    });
  }

  @Test
  @Points(2)
  void aFailedLookupClosesItsConnectionAndNothingElse() {
    assertTimeoutPreemptively(LIMIT, () -> {
      CountDownLatch failed = new CountDownLatch(1);
      Backend failing = (kind, nanos) -> {
        if (nanos == 13) {
          failed.countDown();
          throw new IllegalStateException("the dependency is down");
        }
        return Backend.REAL.serve(kind, nanos);
      };
      try (TestService s = TestService.start(failing, 1, 2, 8);
          ProtocolClient doomed = new ProtocolClient(s.port());
          ProtocolClient other = new ProtocolClient(s.port())) {
        doomed.send(new Request(RequestFrameDescriptor.KIND_SLEEP, 13, 8));
        assertTrue(failed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), s.explain("expected"
            + " the request to reach the backend within " + WAIT.toSeconds() + " s"));
        long id = other.send(Request.sleep(Duration.ofMillis(1)));
        Response r = other.receive(WAIT);
        assertNotNull(r, s.explain("expected another connection on the same loop still served"
            + " after a backend call failed"));
        assertEquals(id, r.id(), "expected the other connection's own response");
        assertNull(r.problem(), r.problem());
        // Every outcome posted (close() lets accepted work finish and posts its outcome), then
        // run on the loop: the failure has been handled by now, so it is checked at once
        // instead of waited for.
        s.offloader().close();
        s.flushLoops();
        assertNull(s.quietFailures(), "expected the failure handled on the loop, no exception:"
            + " " + s.quietFailures());
        assertTrue(s.awaitServerCloses(1, Duration.ZERO), "expected the connection whose"
            + " backend call failed closed by the server once the failure came back to its"
            + " loop (the protocol has no error response); it was left open");
        assertTrue(doomed.awaitClosedByServer(WAIT), "expected the client of the failed"
            + " request to see its connection closed");
      }
    });
  }

  @Test
  @Points(2)
  void aResponseCarriesTheTimeTheBackendReturnedNotTheTimeTheRequestAskedFor() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Backend tripled = (kind, nanos) -> 3 * nanos; // a backend that took 3 times as long
      try (TestService s = TestService.start(tripled, 1, 1, 1);
          ProtocolClient c = new ProtocolClient(s.port())) {
        for (Request request : List.of(Request.sleep(Duration.ofMillis(5)),
            Request.cpu(Duration.ofMillis(2)))) {
          long id = c.send(request);
          Response r = c.receive(WAIT);
          assertNotNull(r, s.explain("expected the request answered within " + WAIT.toSeconds()
              + " s"));
          assertEquals(id, r.id(), "expected the request's own response");
          assertNull(r.problem(), r.problem());
          assertEquals(3 * request.serviceNanos(), r.spentNanos(), "expected the response's"
              + " service field to hold what the backend returned (3 x the "
              + request.serviceNanos() + " ns asked for), not the request's own field"
              + " (RequestFrameDescriptor.markResponse)");
        }
      }
    });
  }

  @Test
  @Points(2)
  void everyRequestIsTracedOnItsLoopFromItsReadToItsResponse(TestInfo info) {
    Path file;
    if (Tracing.isEnabled()) {
      file = Tracing.activeSession().path(); // TraceOnFailure's: kept if this test fails
    } else {
      file = GradingTraces.file(ServiceGradingTest.class, info.getTestMethod().orElseThrow()
          .getName(), null);
      Tracing.start(file);
    }
    Map<Integer, Long> ids = new LinkedHashMap<>(); // request kind -> id
    try {
      assertTimeoutPreemptively(LIMIT, () -> tracedExchange(ids));
    } finally {
      Tracing.stop();
    }
    Map<Long, List<Recorded>> recorded = new HashMap<>();
    long[] letGo = {-1};
    try (TraceFile t = TraceFile.open(file)) {
      Map<Integer, String> names = t.threads();
      t.forEach(e -> {
        if (e.type() == EventType.MARK && e.label().equals(LET_GO)) {
          letGo[0] = e.time();
        } else if ((e.type() == EventType.REQUEST_BEGIN || e.type() == EventType.REQUEST_END)
            && e.kind() != Tracing.CLIENT_SIDE) {
          recorded.computeIfAbsent(e.a(), id -> new ArrayList<>()).add(new Recorded(
              e.type() == EventType.REQUEST_BEGIN, e.small(), names.get(e.thread()), e.time()));
        }
      });
    }
    for (Map.Entry<Integer, Long> request : ids.entrySet()) {
      int kind = request.getKey();
      String what = "the " + KIND_NAMES.get(kind) + " request " + request.getValue();
      List<Recorded> records = recorded.getOrDefault(request.getValue(), new ArrayList<>());
      records.sort(Comparator.comparingLong(Recorded::time));
      assertEquals(2, records.size(), "expected the trace to show " + what + " begun once"
          + " (Tracing.requestBegan when the loop reads it) and ended once"
          + " (Tracing.requestEnded right after its response is sent), as"
          + " BlockingRequestHandler does; it shows " + records);
      Recorded began = records.get(0);
      Recorded ended = records.get(1);
      assertTrue(began.began() && !ended.began(), "expected " + what + " begun, then ended;"
          + " the trace shows " + records);
      assertEquals(kind, began.kind(), "expected " + what + " begun with its kind: " + records);
      assertTrue(began.thread().startsWith("worker-"), "expected " + what + " begun on the"
          + " loop that read it: " + records);
      assertEquals(began.thread(), ended.thread(), "expected " + what + " ended on its"
          + " connection's loop, where its response is sent: " + records);
      if (kind == RequestFrameDescriptor.KIND_SLEEP) {
        assertTrue(letGo[0] >= 0 && ended.time() > letGo[0], "expected " + what + ", held in"
            + " the backend until the test let it go at " + letGo[0] + ", ended after that,"
            + " where its response is sent, not where it was handed to the offloader: "
            + records);
      }
    }
  }

  /** A request record of the server's, as the trace holds it. */
  private record Recorded(boolean began, int kind, String thread, long time) {
    @Override
    public String toString() {
      return (began ? "began (kind " + kind + ")" : "ended") + " on '" + thread + "' at "
          + time + " ns";
    }
  }

  /**
   * A SLEEP held in the backend, an ECHO answered meanwhile, then (the SLEEP let go) a CPU
   * request; their ids by kind in {@code ids}.
   */
  private static void tracedExchange(Map<Integer, Long> ids) throws InterruptedException {
    GatedBackend backend = new GatedBackend();
    try (TestService s = TestService.start(backend, 1, 2, 8);
        ProtocolClient c = new ProtocolClient(s.port())) {
      try {
        ids.put(RequestFrameDescriptor.KIND_SLEEP, c.send(Request.sleep(Duration.ofMillis(5))));
        assertTrue(backend.awaitEntered(1, WAIT), s.explain("expected the SLEEP request to"
            + " reach the backend within " + WAIT.toSeconds() + " s"));
        ids.put(RequestFrameDescriptor.KIND_ECHO, c.send(Request.echo()));
        Response echo = c.receive(WAIT);
        assertNotNull(echo, s.explain("expected the ECHO answered while the SLEEP was held"));
        assertNull(echo.problem(), echo.problem());
      } finally {
        Tracing.mark(LET_GO);
        backend.open();
      }
      ids.put(RequestFrameDescriptor.KIND_CPU, c.send(Request.cpu(Duration.ofMillis(1))));
      for (int i = 0; i < 2; i++) {
        Response r = c.receive(WAIT);
        assertNotNull(r, s.explain("expected the SLEEP and CPU requests answered once the"
            + " backend returned"));
        assertNull(r.problem(), r.problem());
      }
      s.flushLoops(); // requestEnded comes right after the send: let that callback finish
    }
  }

  @Test
  @Points(2)
  void aBadFrameClosesOnlyItsConnectionAndCountsAProtocolError() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (TestService s = TestService.start(new GatedBackend(), 1, 1, 1);
          ProtocolClient unknownKind = new ProtocolClient(s.port());
          ProtocolClient oversized = new ProtocolClient(s.port());
          ProtocolClient other = new ProtocolClient(s.port())) {
        // An ECHO right behind it, in the same write: the loop must not serve it.
        long read = s.bytesRead();
        unknownKind.sendAll(List.of(new Request(7, 0, 4), Request.echo()));
        // Once the loop has handed the bad frame's bytes to the handler, the handler has had
        // its chance to close: checked at once rather than waited for.
        assertTrue(s.awaitRead(read, RequestFrameDescriptor.HEADER + 4, WAIT), s.explain(
            "expected the loop to read the request within " + WAIT.toSeconds() + " s"));
        assertTrue(s.awaitServerCloses(1, Duration.ZERO), s.explain("expected a request of"
            + " unknown kind 7 to close its connection once the loop had read it; it was left"
            + " open"));
        assertTrue(unknownKind.awaitClosedByServer(WAIT), s.explain("expected a request of"
            + " unknown kind 7 to close its connection within " + WAIT.toSeconds() + " s,"
            + " without serving the ECHO that followed it"));
        s.flushLoops(); // the closed connection's last callback has returned
        read = s.bytesRead();
        oversized.sendHeaderOnly(RequestFrameDescriptor.KIND_ECHO,
            RequestFrameDescriptor.MAX_PAYLOAD + 1);
        assertTrue(s.awaitRead(read, RequestFrameDescriptor.HEADER, WAIT), s.explain(
            "expected the loop to read the header within " + WAIT.toSeconds() + " s"));
        assertTrue(s.awaitServerCloses(2, Duration.ZERO), s.explain("expected a header"
            + " claiming more than MAX_PAYLOAD bytes (the assembler's error) to close its"
            + " connection once the loop had read it; it was left open"));
        assertTrue(oversized.awaitClosedByServer(WAIT), s.explain("expected a header claiming"
            + " more than MAX_PAYLOAD bytes (the assembler's error) to close its connection"
            + " within " + WAIT.toSeconds() + " s"));
        assertEquals(2, s.protocolErrorsCounted(), "expected both bad frames counted with"
            + " counters.protocolError(), on the loop");
        long id = other.send(Request.echo());
        Response r = other.receive(WAIT);
        assertNotNull(r, s.explain("expected another connection on the same loop still served"));
        assertEquals(id, r.id(), "expected the other connection's own response");
        assertNull(r.problem(), r.problem());
        assertEquals(1, s.requestsCounted(), "expected only the echo counted as served");
        assertNull(s.quietFailures(), "expected the bad frames handled on the loop, no"
            + " exception: " + s.quietFailures());
      }
    });
  }
}
