package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.exercises.unblock.ProtocolClient.Request;
import io.kallisto.exercises.unblock.ProtocolClient.Response;
import io.kallisto.net.RequestFrameDescriptor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: the loop stays free. No backend call runs on a loop thread, whatever the
 * kind of slow request, and what a loop serves meanwhile is not held behind it, on other
 * connections or on the same one. Slow requests wait at a {@link GatedBackend}'s gate, so each
 * check is about what happens while they are held, not about how fast anything is.
 */
@ExtendWith(TraceOnFailure.class)
class UnblockingGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(45);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  @Points(3)
  void backendWorkNeverRunsOnALoopThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend backend = new GatedBackend();
      backend.open();
      try (TestService s = TestService.start(backend, 2, 2, 64);
          ProtocolClient a = new ProtocolClient(s.port());
          ProtocolClient b = new ProtocolClient(s.port())) {
        for (ProtocolClient c : List.of(a, b)) {
          c.sendAll(List.of(Request.sleep(Duration.ofMillis(1)), Request.cpu(Duration.ofMillis(1)),
              Request.sleep(Duration.ofMillis(2)), Request.cpu(Duration.ofMillis(2))));
        }
        for (ProtocolClient c : List.of(a, b)) {
          for (int i = 0; i < 4; i++) {
            Response r = c.receive(WAIT);
            assertNotNull(r, s.explain("expected 4 responses on each connection within "
                + WAIT.toSeconds() + " s; got " + i));
            assertNull(r.problem(), r.problem());
          }
        }
        assertEquals(8, backend.entered(), "expected 8 backend calls for 8 CPU and SLEEP"
            + " requests");
        assertTrue(backend.callsOnALoop().isEmpty(), "expected every backend call on a pool"
            + " thread, never on a loop; on a loop: " + backend.callsOnALoop());
      }
    });
  }

  @Test
  @Points(4)
  void aCpuRequestDoesNotHoldItsLoopEither() {
    assertTimeoutPreemptively(LIMIT, () -> HeldLoop.echoIsAnsweredWhileHeld(
        Request.cpu(Duration.ofMillis(30)), "CPU", "CPU work blocks the loop as surely as a"
            + " SLEEP (offload both kinds)"));
  }

  @Test
  @Points(2)
  void anEchoOvertakesASlowRequestSentBeforeItOnTheSameConnection() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend backend = new GatedBackend();
      try (TestService s = TestService.start(backend, 1, 2, 8);
          ProtocolClient c = new ProtocolClient(s.port())) {
        long slowId;
        long echoId;
        try {
          slowId = c.send(Request.sleep(Duration.ofMillis(20)));
          assertTrue(backend.awaitEntered(1, WAIT), s.explain("expected the SLEEP request to"
              + " reach the backend within " + WAIT.toSeconds() + " s"));
          echoId = c.send(Request.echo());
          Response first = c.receive(Duration.ofSeconds(5));
          assertNotNull(first, s.explain("expected the echo answered while the SLEEP request"
              + " sent before it on the same connection was in the backend; no answer within"
              + " 5 s"));
          assertEquals(echoId, first.id(), "expected the echo's response first");
          assertNull(first.problem(), first.problem());
        } finally {
          backend.open();
        }
        Response second = c.receive(WAIT);
        assertNotNull(second, s.explain("expected the SLEEP request answered after the echo"));
        assertEquals(slowId, second.id(), "expected the SLEEP request's response second");
        assertNull(second.problem(), second.problem());
      }
    });
  }

  @Test
  @Points(3)
  void echosAreAnsweredOnTheLoopEvenWhileTheOffloaderIsFull() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend backend = new GatedBackend();
      // One thread, no queue: one SLEEP in the backend fills the offloader.
      try (TestService s = TestService.start(backend, 1, 1, 0);
          ProtocolClient a = new ProtocolClient(s.port());
          ProtocolClient b = new ProtocolClient(s.port())) {
        try {
          a.send(Request.sleep(Duration.ofMillis(20)));
          assertTrue(backend.awaitEntered(1, WAIT), s.explain("expected the SLEEP request to"
              + " reach the backend within " + WAIT.toSeconds() + " s"));
          for (ProtocolClient c : List.of(b, a, b)) {
            long id = c.send(Request.echo());
            Response r = c.receive(Duration.ofSeconds(5));
            assertNotNull(r, s.explain("expected an echo answered while the offloader was full;"
                + " no answer within 5 s"));
            assertEquals(id, r.id(), "expected the echo's own response");
            assertFalse(r.busy(), "expected an echo served while the offloader was full (it"
                + " needs no backend: answer it on the loop), but it was answered BUSY: echos"
                + " went to the offloader too");
            assertNull(r.problem(), r.problem());
          }
          long read = s.bytesRead();
          long id = b.send(Request.cpu(Duration.ofMillis(1)));
          assertTrue(s.awaitRead(read, RequestFrameDescriptor.HEADER + 32,
              Duration.ofSeconds(5)), s.explain("expected the loop to read the CPU request and"
                  + " answer it at once (BUSY); it was still on it 5 s later"));
          // Answered by now, so an ECHO sent after it is answered after it: a BUSY that was
          // never sent shows at once, not by a timeout.
          long marker = b.send(Request.echo());
          Response busy = b.receive(Duration.ofSeconds(5));
          assertNotNull(busy, s.explain("expected a CPU request answered at once (BUSY) while"
              + " the offloader was full"));
          assertTrue(busy.id() != marker, s.explain("expected a CPU request answered at once"
              + " (BUSY) while the offloader was full; an ECHO sent after the loop had read it"
              + " was answered first (was it accepted anyway, or left unanswered?)"));
          assertEquals(id, busy.id(), "expected the CPU request's own response");
          assertTrue(busy.busy(), "expected a CPU request answered BUSY while the offloader of"
              + " 1 thread and no queue was full");
          Response echo = b.receive(Duration.ofSeconds(5));
          assertNotNull(echo, s.explain("expected the ECHO sent after the CPU request answered"));
          assertEquals(marker, echo.id(), "expected the ECHO's own response");
        } finally {
          backend.open();
        }
        Response done = a.receive(WAIT);
        assertNotNull(done, s.explain("expected the SLEEP answered once the backend returned"));
        assertNull(done.problem(), done.problem());
        assertEquals(1, backend.entered(), "expected only the SLEEP in the backend: echos need"
            + " none, and the CPU request was refused");
      }
    });
  }
}
