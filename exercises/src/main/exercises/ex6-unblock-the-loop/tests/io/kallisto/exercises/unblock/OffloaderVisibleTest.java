package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.Worker;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.net.RequestFrameDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tests you have for {@link Offloader}: run them with {@code kallisto grade ex6 --src DIR}. */
@ExtendWith(TraceOnFailure.class)
class OffloaderVisibleTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Worker loop;

  @BeforeEach
  void startLoop() {
    loop = Worker.create("loop", Dispatchers.best());
    loop.start();
    loop.awaitReady();
  }

  @AfterEach
  void stopLoop() {
    loop.stop();
  }

  @Test
  @Points(3)
  void workRunsOnAPoolThreadAndItsOutcomeComesBackOnTheLoop() {
    assertTimeoutPreemptively(LIMIT, () -> {
      List<String> seen = new ArrayList<>(); // guarded by itself
      CountDownLatch reported = new CountDownLatch(1);
      AtomicReference<Object> result = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>(new Throwable("not reported"));
      try (Offloader offloader = new Offloader("pool", 2, 4)) {
        boolean accepted = offloader.offload(() -> {
          synchronized (seen) {
            seen.add("work on " + where(loop.dispatcher()));
          }
          return 42;
        }, loop.dispatcher(), (r, f) -> {
          synchronized (seen) {
            seen.add("then on " + where(loop.dispatcher()));
          }
          result.set(r);
          failure.set(f);
          reported.countDown();
        });
        assertTrue(accepted, "expected an idle offloader to accept work");
        assertTrue(reported.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
            "expected then to run within "
                + WAIT.toSeconds() + " s; it did not (seen: " + seen + ")");
      }
      Dispatchers.callOnLoop(loop.dispatcher(), () -> null); // a second report would run by now
      synchronized (seen) {
        assertEquals(2, seen.size(), "expected the work, then its outcome, once each: " + seen);
        assertTrue(seen.get(0).startsWith("work on thread 'pool-"),
            "expected the work on a pool thread named 'pool-N': " + seen);
        assertEquals("then on the loop", seen.get(1), "expected then on the loop it was given: "
            + seen);
      }
      assertEquals(42, result.get(), "expected then to get the work's result");
      assertNull(failure.get(), "expected a null failure for work that returned");
    });
  }

  /** Where the calling thread is: "the loop", "the loop 'x'" (another loop) or "thread 'name'". */
  static String where(Dispatcher loop) {
    Dispatcher current = Dispatchers.current();
    if (current == loop) {
      return "the loop";
    }
    return current != null ? "the loop '" + current.name() + "'"
        : "thread '" + Thread.currentThread().getName() + "'";
  }

  @Test
  @Points(3)
  void offloadReturnsWhileTheWorkIsStillRunning() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      CountDownLatch returned = new CountDownLatch(1);
      try (Offloader offloader = new Offloader("pool", 1, 1)) {
        Dispatcher d = loop.dispatcher();
        // Offloaded from the loop itself, as a handler does.
        d.post(() -> {
          offloader.offload(() -> gate.serve(RequestFrameDescriptor.KIND_SLEEP, 1), d,
              (r, f) -> { });
          returned.countDown();
        });
        try {
          assertTrue(gate.awaitEntered(1, WAIT), "expected the work to start within "
              + WAIT.toSeconds() + " s");
          assertTrue(returned.await(5, TimeUnit.SECONDS), "expected offload() to return at once"
              + " while its work was still running; it had not returned 5 s later: does it wait"
              + " for the work (a Future.get(), a join)? The loop that called it waits too.");
        } finally {
          gate.open();
        }
      }
    });
  }

  @Test
  @Points(2)
  void aFullOffloaderRefusesAtOnceAndRunsNothing() {
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      try (Offloader offloader = new Offloader("pool", 1, 1)) {
        try {
          boolean[] accepted = new boolean[3];
          for (int i = 0; i < 3; i++) {
            accepted[i] = Promptly.offload(offloader,
                () -> gate.serve(RequestFrameDescriptor.KIND_SLEEP, 1), loop.dispatcher(),
                (r, f) -> { });
          }
          assertTrue(accepted[0] && accepted[1], "expected 1 thread + 1 queued = 2 tasks"
              + " accepted; accepted: " + accepted[0] + ", " + accepted[1]);
          assertFalse(accepted[2], "expected the third task refused: 1 runs and 1 waits already");
          assertEquals(2, offloader.capacity(), "expected capacity() = threads + queueCapacity");
        } finally {
          gate.open();
        }
      }
      assertEquals(2, gate.entered(), "expected only the 2 accepted tasks to run");
    });
  }
}
