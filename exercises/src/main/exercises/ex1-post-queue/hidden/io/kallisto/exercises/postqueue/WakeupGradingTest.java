package io.kallisto.exercises.postqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.PostQueue;
import io.kallisto.exercises.support.Points;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests for WakeupGate. The races are replayed deterministically: a queue wrapper
 * lets a "poster" offer and call onPost() in the middle of prepareToSleep(), at each of its
 * looks at the queue, before or after the look. Then real threads, over N runs.
 */
class WakeupGradingTest {
  /** A queue that runs {@code hook} at its {@code at}-th isEmpty() call, before or after it. */
  private static final class RacingQueue implements PostQueue {
    final LinkedPostQueue real = new LinkedPostQueue();
    final int at;
    final boolean afterLook;
    final Runnable hook;
    int calls;
    boolean fired;

    RacingQueue(int at, boolean afterLook, Runnable hook) {
      this.at = at;
      this.afterLook = afterLook;
      this.hook = hook;
    }

    @Override
    public long offer(Runnable task) {
      return real.offer(task);
    }

    @Override
    public Runnable poll() {
      return real.poll();
    }

    @Override
    public boolean isEmpty() {
      boolean fire = calls++ == at;
      if (fire && !afterLook) {
        fired = true;
        hook.run();
      }
      boolean empty = real.isEmpty();
      if (fire && afterLook) {
        fired = true;
        hook.run();
      }
      return empty;
    }
  }

  @Test
  @Points(10)
  void aPostRacingWithPrepareToSleepIsNeverLost() {
    for (int at = 0; at < 3; at++) {
      for (boolean afterLook : new boolean[] {false, true}) {
        WakeupGate gate = new WakeupGate();
        boolean[] wrote = new boolean[1];
        RacingQueue[] q = new RacingQueue[1];
        q[0] = new RacingQueue(at, afterLook, () -> {
          q[0].real.offer(() -> {});
          wrote[0] = gate.onPost();
        });
        boolean sleeps = gate.prepareToSleep(q[0]);
        if (!q[0].fired) {
          continue; // prepareToSleep looked fewer times; the race point does not exist
        }
        assertFalse(sleeps && !wrote[0], "lost wakeup: a post was offered while the loop was"
            + " in prepareToSleep (at its look number " + (at + 1) + " at the queue, "
            + (afterLook ? "just after" : "just before") + " the look); expected either"
            + " prepareToSleep() false or that post's onPost() true, but the loop went to sleep"
            + " and the post wrote no wakeup");
      }
    }
  }

  @Test
  @Points(5)
  void aPostQueuedBeforePrepareToSleepKeepsTheLoopAwake() {
    WakeupGate gate = new WakeupGate();
    LinkedPostQueue q = new LinkedPostQueue();
    q.offer(() -> {});
    gate.onPost();
    assertFalse(gate.prepareToSleep(q), "expected prepareToSleep() false: a post is queued,"
        + " and nobody will wake a sleeping loop for it");
    // The loop does not sleep: it is awake, before awake() as after it.
    assertFalse(gate.onPost(), "expected onPost() false after prepareToSleep() returned false:"
        + " the loop stays awake to run the queued post, so a wakeup is a wasted eventfd write");
  }

  @Test
  @Points(5)
  void whileAsleepOnlyTheFirstOfManyPostsWritesAWakeup() {
    WakeupGate gate = new WakeupGate();
    for (int round = 0; round < 3; round++) {
      assertTrue(gate.prepareToSleep(new LinkedPostQueue()),
          "expected prepareToSleep() true with an empty queue (round " + round + ")");
      int wakeups = 0;
      for (int i = 0; i < 50; i++) {
        wakeups += gate.onPost() ? 1 : 0;
      }
      assertEquals(1, wakeups, "expected exactly 1 of 50 posts to a sleeping loop to write the"
          + " wakeup (round " + round + ")");
      gate.awake();
      for (int i = 0; i < 50; i++) {
        assertFalse(gate.onPost(), "expected no wakeup once awake() was called (round "
            + round + ")");
      }
    }
  }

  @Test
  @Points(2)
  void aLoopThatWokeWithoutAPostIsAwakeAndItsPostsWriteNoWakeup() {
    WakeupGate gate = new WakeupGate();
    assertTrue(gate.prepareToSleep(new LinkedPostQueue()),
        "expected prepareToSleep() true with an empty queue");
    // The wait returned for another reason (a timer, I/O): no post has cleared ASLEEP.
    gate.awake();
    for (int i = 0; i < 10; i++) {
      assertFalse(gate.onPost(), "expected onPost() false after awake(): the loop woke by itself"
          + " (a timer or I/O) and is running, so a wakeup is a wasted eventfd write (post " + i
          + ")");
    }
  }

  @Test
  @Points(5)
  void aBusyMiniLoopWritesFewWakeupsAndLosesNone() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      int runs = 30;
      int failed = 0;
      String first = null;
      for (int run = 0; run < runs; run++) {
        try (MiniLoop loop = new MiniLoop()) {
          int n = 20_000;
          CountDownLatch done = new CountDownLatch(n);
          for (int i = 0; i < n; i++) {
            loop.post(done::countDown);
          }
          String problem = null;
          if (!MiniLoop.awaitWhileProgressing(done, 3_000, 15_000)) {
            problem = done.getCount() + " of " + n + " posts never ran (no progress for 3 s);"
                + " loop failure: "
                + loop.failure.get();
          } else if (loop.lostWakeups.get() > 0) {
            problem = loop.lostWakeups.get() + " lost wakeup(s): the loop slept "
                + MiniLoop.SAFETY_MILLIS + " ms with posts queued";
          } else if (loop.wakeupsWritten.get() > loop.sleepAttempts.get()) {
            // Exact: a wakeup needs an ASLEEP to clear, and only prepareToSleep publishes one
            // (a post racing with it may wake a sleep that is then called off, so not sleeps).
            problem = "wrote " + loop.wakeupsWritten.get() + " wakeups for "
                + loop.sleepAttempts.get() + " calls of prepareToSleep; expected at most one"
                + " per call";
          }
          if (problem != null) {
            failed++;
            first = first == null ? problem : first;
            if (failed >= 3) {
              break; // each lost wakeup costs seconds; three are proof enough
            }
          }
        }
      }
      assertEquals(0, failed, "expected no lost post, no lost wakeup and at most one wakeup"
          + " per prepareToSleep in all " + runs + " runs; failed " + failed + " time(s); first: "
          + first);
    });
  }
}
