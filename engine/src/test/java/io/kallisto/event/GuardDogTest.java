package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class GuardDogTest {
  @Parameter Backend backend;

  @TempDir Path dir;

  @Test
  void aLoopHeldPastOneSecondCountsOneMissAndOneMegaMissWhileAnIdleLoopKeepsCheckingIn() {
    assumeTrue(backend.realTime(), "this stall blocks a real thread on a latch, which virtual"
        + " time does not see pass; SimulationTest checks the watchdog in virtual time");
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Path file = dir.resolve("dog.ktrace");
      Tracing.start(file);
      Worker idle = Worker.create("idle", backend.factory());
      Worker stuck = Worker.create("stuck", backend.factory());
      idle.start();
      stuck.start();
      idle.awaitReady();
      stuck.awaitReady();
      GuardDog dog = GuardDog.start(List.of(idle.dispatcher(), stuck.dispatcher()), backend.factory());
      CountDownLatch release = new CountDownLatch(1);
      stuck.dispatcher().post(() -> Uninterruptibly.await(release));
      Eventually.await(() -> dog.megaMisses(1) == 1, Duration.ofSeconds(10),
          () -> "mega-misses=" + dog.megaMisses(1));
      release.countDown();
      dog.close();
      idle.stop();
      stuck.stop();
      Tracing.stop();

      assertEquals(1, dog.misses(1), "one stall counts one miss, however long it lasts");
      assertEquals(1, dog.megaMisses(1));
      // An idle loop sleeps in its poll, yet its check-in timer wakes it: no mega-miss, and the
      // timer fired all along. (A plain miss may still happen if the OS does not run the thread
      // for 200 ms on a crowded machine; the watchdog is right to count that.)
      assertEquals(0, dog.megaMisses(0), "an idle loop still checks in");
      assertTrue(idle.dispatcher().stats().timersFired() >= 5,
          "check-ins while idle: " + idle.dispatcher().stats().timersFired());
      List<TraceEvent> events = new ArrayList<>();
      try (TraceFile t = TraceFile.open(file)) {
        t.forEach(e -> {
          // Only the stuck loop's: on a crowded machine the idle loop may miss a check-in too
          // (see above), and that miss is rightly traced as well.
          if (e.type() == EventType.WATCHDOG && "stuck".equals(e.label())) {
            events.add(e.copy());
          }
        });
      }
      assertEquals(2, events.size(), "the stuck loop's miss and mega-miss are traced");
      assertEquals(0, events.get(0).kind());
      assertEquals(1, events.get(1).kind());
    });
  }

  @Test
  void twoSeparateStallsCountTwoMisses() {
    assumeTrue(backend.realTime(), "these stalls block a real thread on a latch, which virtual"
        + " time does not see pass; SimulationTest checks the watchdog in virtual time");
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Worker w = Worker.create("stalls", backend.factory());
      w.start();
      w.awaitReady();
      GuardDog dog = GuardDog.start(List.of(w.dispatcher()), backend.factory());
      for (int stall = 1; stall <= 2; stall++) {
        CountDownLatch release = new CountDownLatch(1);
        w.dispatcher().post(() -> Uninterruptibly.await(release));
        int expected = stall;
        Eventually.await(() -> dog.misses(0) == expected, Duration.ofSeconds(10),
            () -> "misses=" + dog.misses(0));
        release.countDown();
        // The loop turns and checks in again before the next stall begins.
        long before = w.dispatcher().stats().timersFired();
        Eventually.await(() -> w.dispatcher().stats().timersFired() > before,
            Duration.ofSeconds(10), () -> "the check-in timer never fired again");
      }
      dog.close();
      w.stop();
      assertEquals(2, dog.misses(0));
      assertEquals(0, dog.megaMisses(0));
    });
  }
}
