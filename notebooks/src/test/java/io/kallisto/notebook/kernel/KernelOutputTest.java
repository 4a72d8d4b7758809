package io.kallisto.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What threads print goes to the cell that started them, in process: the kernel's routed
 * {@code System.out} and {@code System.err} are installed, and the recorder stands in for
 * Jupyter (each text with the number of the cell it is sent under).
 */
class KernelOutputTest extends KernelTests {
  @BeforeAll
  static void routeOutput() {
    kernel.routeOutput(); // until the kernel's shutdown puts System.out and System.err back
  }

  @BeforeEach
  void freshSignals() {
    CellSignals.reset();
  }

  @Test
  void aThreadThatPrintsAfterItsCellEndedShowsUnderThatCellNotTheRunningOne() {
    int starter = kernel.nextCell();
    eval("new Thread(() -> {\n"
        + "  try { " + SIGNALS + ".go.await(); } catch (InterruptedException e) { return; }\n"
        + "  System.out.println(\"late from the starter cell\");\n"
        + "  System.err.println(\"late error from the starter cell\");\n"
        + "  " + SIGNALS + ".done.countDown();\n"
        + "}).start();\n"
        + "System.out.println(\"starter ran\");");
    int running = kernel.nextCell();
    eval(SIGNALS + ".go.countDown();\n" + SIGNALS + ".done.await();\n"
        + "System.out.println(\"running cell's own line\");");
    assertEquals("starter ran\nlate from the starter cell\n", kernel.text(starter, "stdout"));
    assertEquals("late error from the starter cell\n", kernel.text(starter, "stderr"));
    assertEquals("running cell's own line\n", kernel.text(running, "stdout"));
  }

  @Test
  void aPoolWorkerPrintsUnderTheCellThatCreatedThePool() {
    int creator = kernel.nextCell();
    eval("WorkerPool printers = WorkerPool.create(1, Dispatchers::epoll);\nprinters.start();");
    int user = kernel.nextCell();
    eval("CountDownLatch printed = new CountDownLatch(1);\n"
        + "printers.dispatch(() -> { System.out.println(\"from worker-0\"); printed.countDown(); });\n"
        + "printed.await();\nprinters.stop();");
    assertEquals("from worker-0\n", kernel.text(creator, "stdout"));
    assertEquals("", kernel.text(user, "stdout"));
  }

  @Test
  void aThreadOfNoCellPrintsUnderTheRunningCell() {
    int running = kernel.nextCell();
    Thread outsider = new Thread(() -> {
      try {
        CellSignals.started.await();
      } catch (InterruptedException e) {
        return;
      }
      System.out.println("from a thread no cell started");
      CellSignals.done.countDown();
    }, "test-outsider");
    outsider.start();
    eval(SIGNALS + ".started.countDown();\n" + SIGNALS + ".done.await();");
    assertEquals("from a thread no cell started\n", kernel.text(running, "stdout"));
  }

  @Test
  void textWithoutALineEndIsSentByTheEndOfItsCellOrByTheMonitor() {
    int cell = kernel.nextCell();
    eval("System.out.print(\"no line end\");");
    assertEquals("no line end", kernel.text(cell, "stdout"), "sent as the cell ended");
    int starter = kernel.nextCell();
    eval("new Thread(() -> {\n"
        + "  try { " + SIGNALS + ".go.await(); } catch (InterruptedException e) { return; }\n"
        + "  System.out.print(\"partial\");\n"
        + "}).start();");
    CellSignals.go.countDown();
    assertTimeoutPreemptively(BOUND, () -> kernel.awaitStreams(
        s -> kernel.text(starter, "stdout").equals("partial")));
    assertFalse(kernel.streams.stream().anyMatch(s -> s.cell() != starter
        && s.text().contains("partial")), kernel.streams::toString);
  }
}
