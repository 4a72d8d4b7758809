package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loop held in one callback while two others finish quick ones, and a loop outside the group. */
class OvertakenTest {
  private static final int QUICK = 40;

  @TempDir
  static Path dir;
  static Path trace;

  /**
   * ot-0 runs one callback that waits until ot-1 and ot-2 have each run {@value #QUICK} quick
   * callbacks; afterwards, lone-0 runs many quick callbacks on its own.
   */
  @BeforeAll
  static void recordATrace() {
    trace = dir.resolve("overtaken.ktrace");
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Tracing.start(trace);
      List<Dispatcher> loops = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      try {
        for (String name : List.of("ot-0", "ot-1", "ot-2", "lone-0")) {
          Dispatcher d = Dispatchers.create(name);
          Thread t = new Thread(() -> d.run(RunType.RUN_UNTIL_EXIT), name);
          t.start();
          loops.add(d);
          threads.add(t);
        }
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        loops.get(0).post(() -> {
          holding.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          held.countDown();
        });
        holding.await();
        for (int i = 0; i < QUICK; i++) {
          for (int k = 1; k <= 2; k++) {
            CountDownLatch ran = new CountDownLatch(1);
            loops.get(k).post(ran::countDown);
            ran.await();
          }
        }
        // ran counts down inside the quick callback, before its end is recorded: wait until
        // both quick loops sleep again, which they do only after recording that end, so that
        // every quick callback ends before the held one (it failed once as 79 of 80 in CI).
        for (int k = 1; k <= 2; k++) {
          Dispatcher quick = loops.get(k);
          while (!quick.isAsleep()) {
            Thread.onSpinWait();
          }
        }
        release.countDown();
        held.await();
        for (int i = 0; i < 3 * QUICK; i++) {
          CountDownLatch ran = new CountDownLatch(1);
          loops.get(3).post(ran::countDown);
          ran.await();
        }
        for (Dispatcher d : loops) {
          d.exit();
        }
        for (Thread t : threads) {
          t.join();
        }
      } finally {
        loops.forEach(Dispatcher::close);
        Tracing.stop();
      }
    });
  }

  @Test
  void theHeldCallbackIsTheOneTheOthersOvertook() {
    Overtaken o = Overtaken.most(trace, "ot-");
    assertEquals("ot-0", o.thread(), o.toString());
    assertEquals(2 * QUICK, o.othersFinished(), o.toString());
    assertTrue(o.window().why().startsWith("ot-0: a callback that took"), o.window().why());
    assertTrue(o.window().length().compareTo(o.took()) >= 0, o.window().toString());
  }

  @Test
  void aLoneLoopIsOvertakenByNobody() {
    Overtaken o = Overtaken.most(trace, "lone-");
    assertEquals("lone-0", o.thread());
    assertEquals(0, o.othersFinished());
  }

  @Test
  void aPrefixWithNoLoopIsSaid() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Overtaken.most(trace, "nobody-"));
    assertTrue(e.getMessage().contains("nobody-"), e.getMessage());
  }
}
