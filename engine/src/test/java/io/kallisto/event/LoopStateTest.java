package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What another thread can see of a running loop: its thread, whether it sleeps, since when it works. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class LoopStateTest {
  @Parameter Backend backend;

  private static final Duration LIMIT = Duration.ofSeconds(20);

  @Test
  void anIdleLoopIsAsleepAndAPostFromElsewhereThenWritesExactlyOneWakeup() {
    assumeTrue(backend.realTime(), "a simulated loop sleeps only between the steps its"
        + " simulation drives; SimulatedDispatcherTest covers its wakeups");
    assertTimeoutPreemptively(LIMIT, () -> {
      try (LoopThread loop = new LoopThread(backend.create("sleepy"))) {
        Dispatcher d = loop.dispatcher;
        Eventually.await(d::isAsleep, LIMIT, () -> "the idle loop never published ASLEEP");
        assertEquals(0, d.workingSince(), "no work in progress while it sleeps");
        long before = d.stats().wakeupsWritten();
        CountDownLatch ran = new CountDownLatch(1);
        d.post(ran::countDown);
        ran.await();
        assertEquals(before + 1, d.stats().wakeupsWritten(),
            "a post to a loop that was asleep writes one wakeup");
      }
    });
  }

  @Test
  void insideACallbackTheLoopIsAwakeWorkingAndOnItsOwnThread() {
    assumeTrue(backend.realTime(), "the simulation's loops share its thread and virtual clock");
    assertTimeoutPreemptively(LIMIT, () -> {
      Dispatcher d = backend.create("busy");
      assertNull(d.loopThread(), "no run in progress");
      try (LoopThread loop = new LoopThread(d)) {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long before = d.now();
        d.post(() -> {
          inside.countDown();
          Uninterruptibly.await(release);
        });
        inside.await();
        try {
          assertSame(loop.thread, d.loopThread());
          assertFalse(d.isAsleep(), "a loop running a callback is awake");
          long since = d.workingSince();
          assertNotEquals(0, since, "the held iteration has a start");
          assertTrue(since - before >= 0 && since - d.now() <= 0,
              "it began after the post was made and before now: " + since);
        } finally {
          release.countDown();
        }
      }
      assertNull(d.loopThread(), "the run ended");
      assertEquals(0, d.workingSince());
      assertFalse(d.isAsleep());
      d.close();
    });
  }
}
