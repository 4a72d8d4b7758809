package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class DispatcherPostTest {
  @Parameter Backend backend;

  private static final Duration LIMIT = Duration.ofSeconds(20);

  @Test
  @DisplayName("seed: 'Dispatcher should be created' and 'Dispatcher name should match'")
  void createdDispatcherHasItsName() {
    try (Dispatcher d = backend.create("seed-basic")) {
      assertNotNull(d);
      assertEquals("seed-basic", d.name());
      assertEquals("seed-basic", d.stats().name());
    }
  }

  @Test
  @DisplayName("seed: 'Posted callback should be executed'")
  void postedCallbackIsExecutedByBlockingRun() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("seed-post")) {
        AtomicBoolean ran = new AtomicBoolean();
        d.post(() -> ran.set(true));
        d.run(RunType.BLOCK);
        assertTrue(ran.get());
        assertEquals(1, d.stats().postsRun());
      }
    });
  }

  @Test
  @DisplayName("seed: 'Exit should have been called'")
  void exitPostedToTheLoopEndsRunUntilExit() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("seed-exit")) {
        AtomicBoolean exitCalled = new AtomicBoolean();
        d.post(() -> {
          exitCalled.set(true);
          d.exit();
        });
        d.run(RunType.RUN_UNTIL_EXIT);
        assertTrue(exitCalled.get());
      }
    });
  }

  @Test
  void postFromAnotherThreadRunsOnLoopThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("cross"))) {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        loop.dispatcher.post(() -> ranOn.complete(Thread.currentThread()));
        assertSame(loop.thread, ranOn.get());
      }
    });
  }

  @Test
  void postsFromOneThreadRunInFifoOrder() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("fifo"))) {
        List<Integer> order = new ArrayList<>(); // touched only on the loop thread
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 10_000; i++) {
          int n = i;
          loop.dispatcher.post(() -> order.add(n));
        }
        loop.dispatcher.post(done::countDown);
        done.await();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
          expected.add(i);
        }
        assertEquals(expected, loop.call(() -> new ArrayList<>(order)));
      }
    });
  }

  @Test
  void postMadeInsidePostRunsInLaterBatch() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("nested")) {
        List<String> order = new ArrayList<>();
        d.post(() -> {
          order.add("a");
          d.post(() -> order.add("c"));
        });
        d.post(() -> order.add("b"));
        d.run(RunType.NON_BLOCK);
        // Expected: a and b in the first batch; c, posted by a, waits for the next iteration.
        assertEquals(List.of("a", "b"), order);
        assertTrue(d.hasPendingPosts());
        d.run(RunType.NON_BLOCK);
        assertEquals(List.of("a", "b", "c"), order);
        assertFalse(d.hasPendingPosts());
      }
    });
  }

  @Test
  void exitFromAnotherThreadEndsRunAndRunMayBeCalledAgain() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("rerun")) {
        CountDownLatch running = new CountDownLatch(1);
        d.post(running::countDown);
        Thread exiter = new Thread(() -> {
          try {
            running.await();
          } catch (InterruptedException e) {
            return;
          }
          d.exit();
        });
        exiter.start();
        d.run(RunType.RUN_UNTIL_EXIT); // returns only because the other thread called exit()
        exiter.join();
        AtomicBoolean secondRun = new AtomicBoolean();
        d.post(() -> secondRun.set(true));
        d.run(RunType.BLOCK);
        assertTrue(secondRun.get());
      }
    });
  }

  @Test
  void exitCalledWhileNoRunIsInProgressEndsTheNextRun() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("early-exit")) {
        d.exit();
        d.run(RunType.RUN_UNTIL_EXIT); // would block forever if the exit were forgotten
        AtomicBoolean ran = new AtomicBoolean();
        d.post(() -> ran.set(true));
        d.run(RunType.BLOCK);
        assertTrue(ran.get(), "the exit is consumed by one run only");
      }
    });
  }

  @Test
  void blockRunReturnsAtOnceWhenNothingIsPending() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("idle")) {
        d.run(RunType.BLOCK);
        assertEquals(0, d.stats().iterations());
      }
    });
  }

  @Test
  void postToSleepingLoopWritesOneWakeupAndPostsToBusyLoopWriteNone() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("wakeups"))) {
        Dispatcher d = loop.dispatcher;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        d.post(() -> {
          busy.countDown();
          try {
            release.await(); // the loop is AWAKE, in a callback
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        busy.await();
        long before = d.stats().wakeupsWritten();
        for (int i = 0; i < 1_000; i++) {
          d.post(() -> { });
        }
        assertEquals(before, d.stats().wakeupsWritten(), "posts to an awake loop write nothing");
        release.countDown();
        CountDownLatch drained = new CountDownLatch(1);
        d.post(drained::countDown);
        drained.await();
        assertTrue(d.stats().wakeupsAvoided() >= 1_000);
      }
    });
  }

  @Test
  void postAfterCloseThrowsNamingTheDispatcher() {
    Dispatcher d = backend.create("closed-post");
    d.close();
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> d.post(() -> { }));
    assertTrue(e.getMessage().contains("'closed-post' is closed"), e.getMessage());
  }

  @Test
  void closeDropsQueuedPostsAndCountsThem() {
    Dispatcher d = backend.create("drop");
    d.post(() -> { });
    d.post(() -> { });
    d.close();
    assertEquals(2, d.stats().postsDropped());
  }

  @Test
  void throwingCallbackIsCountedAndTheLoopKeepsRunning() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("throws")) {
        AtomicBoolean after = new AtomicBoolean();
        d.post(() -> {
          throw new IllegalArgumentException("boom");
        });
        d.post(() -> after.set(true));
        d.run(RunType.BLOCK);
        assertTrue(after.get());
        DispatcherStats s = d.stats();
        assertEquals(1, s.callbackErrors());
        assertTrue(s.lastCallbackError().contains("boom"), s.lastCallbackError());
      }
    });
  }

  @Test
  void loopStatisticsRecordEveryIteration() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher d = backend.create("stats")) {
        for (int i = 0; i < 5; i++) {
          d.post(() -> { });
          d.run(RunType.NON_BLOCK);
        }
        Timer t = d.createTimer(() -> { });
        t.enable(Duration.ofMillis(2));
        d.run(RunType.BLOCK); // sleeps until the deadline: one poll-delay sample
        DispatcherStats s = d.stats();
        assertEquals(s.iterations(), s.loopDuration().getTotalCount());
        assertTrue(s.iterations() >= 6);
        assertTrue(s.pollDelay().getTotalCount() >= 1);
        assertEquals(1, s.timersFired());
        assertTrue(s.toString().contains("loop_duration_us"));
      }
    });
  }

  @Test
  void callbackStillRunsWhenItsPosterIsInterrupted() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("interrupt"))) {
        CountDownLatch ran = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        loop.dispatcher.post(ran::countDown);
        Thread.interrupted();
        assertTrue(ran.await(10, TimeUnit.SECONDS));
      }
    });
  }
}
