package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class DispatcherThreadSafetyTest {
  @Parameter Backend backend;

  private static final Duration LIMIT = Duration.ofSeconds(20);

  @Test
  void isThreadSafeIsTrueBeforeRunOnLoopThreadAndFalseElsewhere() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Dispatcher d = backend.create("safe");
      assertTrue(d.isThreadSafe(), "no run in progress: any thread may call loop-only methods");
      try (LoopThread loop = new LoopThread(d)) {
        assertFalse(d.isThreadSafe(), "another thread while the loop runs");
        assertTrue(loop.call(d::isThreadSafe), "the loop thread itself");
      }
      assertTrue(d.isThreadSafe());
    });
  }

  @Test
  void loopOnlyMethodsThrowOnAnotherThreadWhileRunning() {
    assumeTrue(backend.servesSockets(), "a simulated loop watches no fds or channels;"
        + " SimulatedDispatcherTest checks its loop-only rules");
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("owner"))) {
        Dispatcher d = loop.dispatcher;
        Timer timer = loop.call(() -> d.createTimer(() -> { }));
        Backend.WatchedPipe pipe = loop.call(() -> backend.watchPipe(d, e -> { },
            FileReadyType.READ));
        try {
          FileEvent fe = pipe.event();
          Executable[] misuse = {
            () -> d.createTimer(() -> { }),
            () -> backend.watchPipe(d, e -> { }, 0),
            d::close,
            d::hasPendingPosts,
            () -> timer.enable(Duration.ZERO),
            timer::disable,
            timer::enabled,
            () -> fe.setEnabled(FileReadyType.READ),
            () -> fe.activate(FileReadyType.READ),
            fe::close,
          };
          for (Executable call : misuse) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("must be called on its loop thread 'loop-owner'"),
                e.getMessage());
          }
          loop.call(() -> {
            fe.close();
            return null;
          });
        } finally {
          pipe.closePipe();
        }
      }
    });
  }

  @Test
  void secondConcurrentRunIsRejectedNamingTheRunningThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("twice"))) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> loop.dispatcher.run(RunType.NON_BLOCK));
        assertTrue(e.getMessage().contains("already in progress on thread 'loop-twice'"),
            e.getMessage());
      }
    });
  }

  @Test
  void closedDispatcherRejectsUseWithAClearMessage() {
    Dispatcher d = backend.create("gone");
    Timer t = d.createTimer(() -> { });
    d.close();
    d.close(); // idempotent
    Executable[] misuse = {
      () -> d.post(() -> { }),
      () -> d.createTimer(() -> { }),
      () -> d.run(RunType.NON_BLOCK),
      () -> t.enable(Duration.ZERO),
    };
    for (Executable call : misuse) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call);
      assertTrue(e.getMessage().startsWith("dispatcher 'gone' is closed"), e.getMessage());
    }
    assertEquals("gone", d.stats().name(), "stats stay readable after close");
  }

  @Test
  void closedDispatcherIgnoresExitAndHasNoPendingPosts() {
    Dispatcher d = backend.create("gone-quietly");
    d.post(() -> { });
    assertTrue(d.hasPendingPosts());
    d.close();
    d.exit(); // a stop request racing with the loop's own close must not fail
    assertFalse(d.hasPendingPosts(), "closing dropped the queued post");
    assertThrows(IllegalStateException.class, () -> d.run(RunType.NON_BLOCK),
        "exit() did not reopen anything");
  }

  @Test
  void drainAfterACallbackClosedTheDispatcherEndsCleanly() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Dispatcher d = backend.create("self-close-drain");
      d.post(d::close);
      d.post(() -> d.post(() -> { })); // leaves a post queued behind the close
      d.run(RunType.RUN_UNTIL_EXIT);
      int drains = 0;
      while (d.hasPendingPosts()) { // the idiom ThreadedWorker uses after run() returns
        d.run(RunType.NON_BLOCK);
        drains++;
      }
      assertEquals(0, drains, "close() dropped the follow-up post, so nothing is left to drain");
      assertEquals(1, d.stats().postsDropped());
    });
  }

  @Test
  void closeCalledInsideACallbackTakesEffectWhenRunReturns() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Dispatcher d = backend.create("self-close");
      AtomicBoolean laterInBatch = new AtomicBoolean();
      d.post(d::close);
      d.post(() -> laterInBatch.set(true));
      d.run(RunType.RUN_UNTIL_EXIT); // close() implies exit
      assertTrue(laterInBatch.get(), "the batch finishes before the close");
      assertThrows(IllegalStateException.class, () -> d.post(() -> { }));
    });
  }

  @Test
  void currentNamesTheDispatcherRunningOnThisThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher outer = backend.create("outer");
          Dispatcher inner = backend.create("inner")) {
        assertEquals(null, Dispatchers.current());
        Dispatcher[] seen = new Dispatcher[3];
        outer.post(() -> {
          seen[0] = Dispatchers.current();
          inner.post(() -> seen[1] = Dispatchers.current());
          inner.run(RunType.BLOCK); // nested run on the same thread
          seen[2] = Dispatchers.current();
        });
        outer.run(RunType.BLOCK);
        assertEquals(outer, seen[0]);
        assertEquals(inner, seen[1]);
        assertEquals(outer, seen[2], "restored when the nested run returns");
        assertEquals(null, Dispatchers.current());
      }
    });
  }

  @Test
  void postRacingWithCloseNeverWritesAClosedWakeupFd() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int round = 0; round < 200; round++) {
        Dispatcher d = backend.create("race-" + round);
        CountDownLatch go = new CountDownLatch(1);
        Thread poster = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          try {
            while (true) {
              d.post(() -> { });
            }
          } catch (IllegalStateException closed) {
            // expected: the dispatcher closed under us
          }
        });
        poster.start();
        go.countDown();
        d.close();
        poster.join();
      }
    });
  }
}
