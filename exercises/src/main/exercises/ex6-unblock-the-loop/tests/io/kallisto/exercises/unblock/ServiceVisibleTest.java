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
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests you have for {@link OffloadingRequestHandler}, on the engine's real loops over
 * 127.0.0.1: run them with {@code kallisto grade ex6 --src DIR}. Slow requests wait in a
 * {@link GatedBackend} for as long as a test needs, so nothing here depends on timing.
 */
@ExtendWith(TraceOnFailure.class)
class ServiceVisibleTest {
  private static final Duration LIMIT = Duration.ofSeconds(40);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  @Points(2)
  void anEchoIsAnsweredWithItsIdAndPayload() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (TestService s = TestService.start(new GatedBackend(), 1, 2, 8);
          ProtocolClient c = new ProtocolClient(s.port())) {
        long id = c.send(Request.echo());
        Response r = c.receive(WAIT);
        assertNotNull(r, s.explain("expected the echo answered within " + WAIT.toSeconds() + " s"));
        assertEquals(id, r.id(), "expected the response to carry the request's id");
        assertNull(r.problem(), r.problem());
        assertFalse(r.busy(), "expected an echo served, not refused as busy");
      }
    });
  }

  @Test
  @Points(2)
  void aSleepRequestIsAnsweredOnceTheBackendHasServedIt() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend backend = new GatedBackend();
      try (TestService s = TestService.start(backend, 1, 2, 8);
          ProtocolClient c = new ProtocolClient(s.port())) {
        try {
          long id = c.send(Request.sleep(Duration.ofMillis(7)));
          assertTrue(backend.awaitEntered(1, WAIT), s.explain("expected the SLEEP request to"
              + " reach the backend within " + WAIT.toSeconds() + " s"));
          // Nothing early: the backend is still holding it.
          assertNull(c.receive(Duration.ofMillis(200)), "expected no response while the backend"
              + " still works on the request");
          backend.open();
          Response r = c.receive(WAIT);
          assertNotNull(r, s.explain("expected the SLEEP request answered within "
              + WAIT.toSeconds() + " s of its backend call returning"));
          assertEquals(id, r.id(), "expected the response to carry the request's id");
          assertNull(r.problem(), r.problem());
          assertFalse(r.busy(), "expected the request served, not refused as busy");
          assertEquals(Duration.ofMillis(7).toNanos(), r.spentNanos(), "expected the response's"
              + " service field to be what the backend returned (the ns it spent)");
        } finally {
          backend.open();
        }
      }
    });
  }

  @Test
  @Points(4)
  void anEchoOnAnotherConnectionIsAnsweredWhileALookupHoldsTheSameLoop() {
    assertTimeoutPreemptively(LIMIT, () -> HeldLoop.echoIsAnsweredWhileHeld(
        Request.sleep(Duration.ofMillis(40)), "SLEEP", "the loop is waiting for the backend (is"
            + " serve() called on the loop, or does the loop wait for the pool's result?)"));
  }
}
