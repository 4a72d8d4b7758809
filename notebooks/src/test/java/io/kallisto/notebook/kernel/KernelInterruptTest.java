package io.kallisto.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interrupt, in process: what it stops (the interrupted cell's loops, not an earlier cell's), how
 * fast a cell blocked in {@code epoll_wait} comes back, that a stale force-stop never hits the
 * next cell, and how runaway callbacks are reported and broken.
 */
class KernelInterruptTest extends KernelTests {
  private static final boolean CAN_STOP_THREADS = Runtime.version().feature() < 20;

  @BeforeEach
  void freshSignals() {
    CellSignals.reset();
  }

  @AfterEach
  void kernelStillRunsCells() {
    assertEquals("42", text(eval("6 * 7")), "the kernel runs the next cell");
  }

  /** Runs {@code code}, interrupting once it counts {@link CellSignals#started} down. */
  private static Interrupted interruptOnceStarted(String code) {
    return assertTimeoutPreemptively(BOUND, () -> {
      AtomicLong interruptedAt = new AtomicLong();
      Thread interrupter = new Thread(() -> {
        try {
          CellSignals.started.await();
        } catch (InterruptedException e) {
          return;
        }
        if (CellSignals.handed instanceof Dispatcher) {
          // Interrupt only once the loop sleeps in its poll (epoll_wait: deaf to interrupts).
          Dispatcher d = (Dispatcher) CellSignals.handed;
          while (!d.isAsleep()) {
            Thread.onSpinWait();
          }
        }
        interruptedAt.set(System.nanoTime());
        kernel.interrupt();
      }, "test-interrupter");
      interrupter.start();
      CellError e = assertThrows(CellError.class, () -> kernel.eval(code));
      long back = System.nanoTime();
      interrupter.join();
      assertEquals("Interrupted", e.name(), () -> String.join("\n", e.lines()));
      return new Interrupted(String.join("\n", e.lines()), (back - interruptedAt.get()) / 1e6);
    });
  }

  private record Interrupted(String report, double millis) {}

  @Test
  void cellBlockedInEpollRunComesBackWithinOneSecondOfInterrupt() {
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CellSignals.reset();
      Interrupted r = interruptOnceStarted(
          "Dispatcher blocked = Dispatchers.epoll(\"blocked-in-epoll\");\n"
          + SIGNALS + ".handed = blocked;\n"
          + "blocked.post(" + SIGNALS + ".started::countDown);\n"
          + "blocked.run(RunType.RUN_UNTIL_EXIT); // no exit() anywhere: the classic mistake\n"
          + "System.out.println(\"the loop returned\");");
      latencies.add(r.millis);
      assertTrue(r.millis < 1000, "came back " + r.millis + " ms after the Interrupt");
      assertTrue(r.report.contains("exited loop 'blocked-in-epoll'"), r.report);
      assertEquals("true", text(eval("blocked.loopThread() == null")), "the loop has returned");
    }
    System.out.printf(Locale.ROOT, "interrupt latency, epoll run(), in process: %s ms%n",
        latencies.stream().map(l -> String.format(Locale.ROOT, "%.1f", l)).toList());
  }

  @Test
  void interruptThenAnImmediateNextCellCompletesNormally() {
    for (int i = 0; i < 4; i++) {
      CellSignals.reset();
      // The signal comes from inside the loop: an Interrupt between two snippets would only
      // keep the loop from starting.
      interruptOnceStarted(
          "while (true) { " + SIGNALS + ".started.countDown(); Thread.sleep(10); }");
      assertNextCellOutlivesTheForceStopGrace(i);
    }
  }

  @Test
  void cellThatIgnoresInterruptIsStoppedAndTheNextCellIsNotHitByThatStop() {
    for (int i = 0; i < 2; i++) {
      CellSignals.reset();
      // A local counter: on JDK 20+ the first round's thread spins on, and would share a
      // cell variable with the second.
      Interrupted r = interruptOnceStarted("for (long spins = 0; ; spins++) {\n"
          + "  if (spins == 0) " + SIGNALS + ".started.countDown();\n}");
      assertTrue(r.report.contains(CAN_STOP_THREADS ? "stopped it by force" : "restart"),
          r.report);
      assertNextCellOutlivesTheForceStopGrace(i);
    }
  }

  /**
   * Runs a cell at once that lives past the interrupted snippet's force-stop grace: a stop (or an
   * interrupt) aimed at that snippet but landing on the thread would end this cell.
   */
  private static void assertNextCellOutlivesTheForceStopGrace(int round) {
    CellSignals.until = System.nanoTime()
        + Duration.ofMillis(CellExecutionControl.STOP_GRACE_MILLIS + 300).toNanos();
    assertEquals("survived", text(eval(
        "while (System.nanoTime() < " + SIGNALS + ".until) { Thread.sleep(20); }\n"
        + "\"survived\"")), "round " + round);
  }

  @Test
  void interruptStopsWhatTheInterruptedCellCreatedAndNothingOfEarlierCells() {
    eval("WorkerPool kept = WorkerPool.create(1, Dispatchers::epoll);\nkept.start();");
    eval("CountDownLatch used = new CountDownLatch(1);\nkept.dispatch(used::countDown);\n"
        + "used.await();"); // a normal cell that ends does not stop the pool either
    Interrupted r = interruptOnceStarted(
        "Worker helper = Worker.create(\"helper\", Dispatchers::epoll);\n"
        + "helper.start();\nhelper.awaitReady();\n"
        + "Dispatcher mine = Dispatchers.epoll(\"mine\");\n"
        + SIGNALS + ".handed = mine;\n"
        + "mine.post(" + SIGNALS + ".started::countDown);\n"
        + "mine.run(RunType.RUN_UNTIL_EXIT);");
    String stopped = r.report.lines().filter(l -> l.startsWith("Interrupt stopped what"))
        .findFirst().orElse("");
    assertTrue(stopped.contains("'mine'") && stopped.contains("'helper'"), r.report);
    assertFalse(stopped.contains("worker-0"), r.report); // the earlier cell's pool is not stopped
    assertEquals("true", text(eval("helper.dispatcher().loopThread() == null")));
    assertEquals("true", text(eval("CountDownLatch again = new CountDownLatch(1);\n"
        + "kept.dispatch(again::countDown);\nagain.await(10, TimeUnit.SECONDS)")),
        "the earlier cell's pool still serves");
    eval("kept.stop();");
  }

  @Test
  void interruptExitsALoopThatAThreadStartedByTheCellCreated() {
    Interrupted r = interruptOnceStarted(
        "Thread owner = new Thread(() -> {\n"
        + "  Dispatcher d = Dispatchers.epoll(\"made-by-a-cell-thread\");\n"
        + "  " + SIGNALS + ".handed = d;\n"
        + "  d.post(" + SIGNALS + ".started::countDown);\n"
        + "  d.run(RunType.RUN_UNTIL_EXIT);\n"
        + "});\n"
        + "owner.start();\nowner.join();");
    assertTrue(r.report.contains("'made-by-a-cell-thread'"), r.report);
    assertEquals("false", text(eval("owner.isAlive()")));
  }

  @Test
  void interruptExitsADispatcherOfAnEarlierCellThatTheCellRuns() {
    eval("Dispatcher earlier = Dispatchers.epoll(\"made-earlier\");\n"
        + SIGNALS + ".handed = earlier;");
    Interrupted r = interruptOnceStarted(
        "earlier.post(" + SIGNALS + ".started::countDown);\n"
        + "earlier.run(RunType.RUN_UNTIL_EXIT);");
    assertTrue(r.millis < 1000, "came back " + r.millis + " ms after the Interrupt");
    assertTrue(r.report.contains("'made-earlier' (run by the cell thread)"), r.report);
  }

  @Test
  void interruptExitsADispatcherOfAnEarlierCellThatTheSnippetRunsOnlyLater() {
    eval("Dispatcher later = Dispatchers.epoll(\"run-late\");\n"
        + "void runLate(Dispatcher d) {\n"
        + "  long t = System.nanoTime();\n"
        + "  " + SIGNALS + ".started.countDown();\n"
        + "  while (System.nanoTime() - t < 700_000_000L) { } // deaf to the Interrupt\n"
        + "  d.run(RunType.RUN_UNTIL_EXIT); // then blocks in epoll_wait\n"
        + "}");
    Interrupted r = interruptOnceStarted("runLate(later);");
    // Before the force-stop grace: exited, not stopped by force (which epoll_wait would not see).
    assertTrue(r.millis < CellExecutionControl.STOP_GRACE_MILLIS, r.millis + " ms: " + r.report);
    assertEquals("true", text(eval("later.loopThread() == null")));
  }

  @Test
  void runawayCallbackOfThePoolOfTheInterruptedCellIsReportedNamingItsLoop() {
    Interrupted r = interruptOnceStarted(
        "WorkerPool spinning = WorkerPool.create(1, Dispatchers::epoll);\n"
        + "spinning.start();\n"
        + "spinning.dispatch(() -> {\n"
        + "  " + SIGNALS + ".started.countDown();\n"
        + "  long spins = 0;\n"
        + "  while (true) { spins++; }\n"
        + "});\n"
        + "spinning.stop();");
    assertRunawayReported(r.report, "worker-0");
    if (CAN_STOP_THREADS) {
      assertEquals("true", text(eval("spinning.worker(0).dispatcher().loopThread() == null")),
          "the broken callback's loop went on to its exit");
    }
  }

  @Test
  void stopOfAnEarlierCellsRunawayPoolWarnsThenEndsOnInterrupt() {
    eval("WorkerPool runaway = WorkerPool.create(1, Dispatchers::epoll);\nrunaway.start();");
    int cell = kernel.nextCell();
    Interrupted r = assertTimeoutPreemptively(BOUND, () -> {
      Thread waiter = new Thread(() -> {
        try {
          // The monitor tells the waiting cell which callback its stop() waits for.
          kernel.awaitStreams(s -> kernel.text(cell, "stderr").contains("held by one callback"));
        } catch (InterruptedException e) {
          return;
        }
        CellSignals.go.countDown();
      });
      waiter.start();
      Thread signaller = new Thread(() -> {
        try {
          CellSignals.go.await();
        } catch (InterruptedException e) {
          return;
        }
        CellSignals.started.countDown();
      });
      signaller.start();
      return interruptOnceStarted(
          "runaway.dispatch(() -> { long spins = 0; while (true) { spins++; } });\n"
          + "runaway.stop(); // waits for the spinning callback");
    });
    String warning = kernel.text(cell, "stderr");
    assertTrue(warning.contains("loop 'worker-0'") && warning.contains("Interrupt"), warning);
    assertRunawayReported(r.report, "worker-0");
    if (CAN_STOP_THREADS) {
      assertTrue(r.report.contains("keeps running"), r.report);
      eval("runaway.stop();");
    }
  }

  @Test
  void interruptWhileNoCellRunsBreaksARunawayCallbackAndReportsUnderItsCell() {
    int cell = kernel.nextCell();
    eval("WorkerPool idle = WorkerPool.create(1, Dispatchers::epoll);\nidle.start();\n"
        + "idle.dispatch(() -> {\n"
        + "  " + SIGNALS + ".started.countDown();\n"
        + "  long spins = 0;\n"
        + "  while (true) { spins++; }\n"
        + "});");
    assertTimeoutPreemptively(BOUND, () -> {
      CellSignals.started.await();
      kernel.interrupt();
      kernel.awaitStreams(s -> kernel.text(cell, "stderr").contains("'worker-0'"));
    });
    assertRunawayReported(kernel.text(cell, "stderr"), "worker-0");
    if (CAN_STOP_THREADS) {
      eval("idle.stop();");
    }
  }

  private static void assertRunawayReported(String report, String loop) {
    assertTrue(report.contains("Loop '" + loop + "'") && report.contains("held by one callback"),
        report);
    assertTrue(report.matches("(?s).*\\(#\\d+:\\d+\\).*"), "names the cell's frame: " + report);
    if (CAN_STOP_THREADS) {
      assertTrue(report.contains("stopped that callback by force"), report);
    } else {
      assertTrue(report.contains("still spins") && report.contains("Restart"), report);
    }
  }
}
