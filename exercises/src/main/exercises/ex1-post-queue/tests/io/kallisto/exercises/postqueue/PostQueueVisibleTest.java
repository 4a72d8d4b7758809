package io.kallisto.exercises.postqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The tests you have: run them with {@code kallisto grade ex1 --src DIR}. */
class PostQueueVisibleTest {

  @Test
  @Points(2)
  void aNewQueueIsEmptyAndPollsNull() {
    LinkedPostQueue q = new LinkedPostQueue();
    assertTrue(q.isEmpty(), "expected a new queue to be empty");
    assertNull(q.poll(), "expected poll() on an empty queue to return null");
  }

  @Test
  @Points(3)
  void oneThreadsPostsArePolledInOrder() {
    LinkedPostQueue q = new LinkedPostQueue();
    Runnable a = () -> {};
    Runnable b = () -> {};
    Runnable c = () -> {};
    q.offer(a);
    q.offer(b);
    assertFalse(q.isEmpty(), "expected isEmpty() false after two offers");
    assertSame(a, q.poll(), "expected the first task offered to be polled first");
    q.offer(c);
    assertSame(b, q.poll(), "expected the second task next");
    assertSame(c, q.poll(), "expected the third task last");
    assertNull(q.poll(), "expected null once everything was polled");
    assertTrue(q.isEmpty(), "expected isEmpty() true once everything was polled");
  }

  @Test
  @Points(3)
  void postsWhileTheLoopIsAwakeWriteNoWakeup() {
    WakeupGate gate = new WakeupGate();
    for (int i = 0; i < 100; i++) {
      assertFalse(gate.onPost(), "expected onPost() false while the loop is awake (post " + i
          + "); a wakeup here is a wasted eventfd write");
    }
  }

  @Test
  @Points(3)
  void theFirstPostAfterTheLoopSleepsWakesIt() {
    WakeupGate gate = new WakeupGate();
    assertTrue(gate.prepareToSleep(new LinkedPostQueue()),
        "expected prepareToSleep() true with an empty queue");
    assertTrue(gate.onPost(), "expected the first onPost() after the loop slept to return true");
    assertFalse(gate.onPost(), "expected a second onPost() to return false: the loop is already"
        + " being woken");
  }

  @Test
  @Points(3)
  void aPostFromAnotherThreadRunsOnTheMiniLoop() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try (MiniLoop loop = new MiniLoop()) {
        CountDownLatch ran = new CountDownLatch(1);
        Thread[] on = new Thread[1];
        loop.post(() -> {
          on[0] = Thread.currentThread();
          ran.countDown();
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS), "expected the post to run within 10 s;"
            + " loop failure: " + loop.failure.get());
        assertSame(loop.thread(), on[0], "expected the post to run on the loop thread");
        assertEquals(0, loop.lostWakeups.get(), "expected no lost wakeup");
      }
    });
  }
}
