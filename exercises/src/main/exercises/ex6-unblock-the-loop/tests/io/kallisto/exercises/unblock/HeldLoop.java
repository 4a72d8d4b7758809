package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.unblock.ProtocolClient.Request;
import io.kallisto.exercises.unblock.ProtocolClient.Response;
import java.time.Duration;

/**
 * One loop serving two connections: a slow request held in the backend on one, an echo on the
 * other. The echo must be answered while the slow request is still held, whatever its kind. Part
 * of the tests; do not change it.
 */
final class HeldLoop {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private HeldLoop() {}

  /**
   * Holds {@code slowRequest} (named {@code kind} in messages) in a gated backend and checks
   * that an echo on another connection of the same loop is answered meanwhile; {@code hint} ends
   * the failure message when it is not.
   */
  static void echoIsAnsweredWhileHeld(Request slowRequest, String kind, String hint)
      throws Exception {
    GatedBackend backend = new GatedBackend();
    // One loop: both connections are served by it.
    try (TestService s = TestService.start(backend, 1, 2, 8);
        ProtocolClient slow = new ProtocolClient(s.port());
        ProtocolClient fast = new ProtocolClient(s.port())) {
      try {
        slow.send(slowRequest);
        assertTrue(backend.awaitEntered(1, WAIT), s.explain("expected the " + kind + " request to"
            + " reach the backend within " + WAIT.toSeconds() + " s"));
        long id = fast.send(Request.echo());
        Response r = fast.receive(Duration.ofSeconds(5));
        assertNotNull(r, s.explain("expected the echo on another connection of the same loop"
            + " answered while the " + kind + " request was in the backend; no answer within"
            + " 5 s: " + hint));
        assertEquals(id, r.id(), "expected the echo's own response");
        assertNull(r.problem(), r.problem());
      } finally {
        backend.open();
      }
      Response done = slow.receive(WAIT);
      assertNotNull(done, s.explain("expected the " + kind + " request answered once the"
          + " backend returned"));
      assertNull(done.problem(), done.problem());
    }
  }
}
