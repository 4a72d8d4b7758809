package io.kallisto.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  /** Starts a spinning thread and a sleeping one, runs them for {@code millis}, joins them. */
  private static int spinAndSleep(long millis) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    threads.add(new Thread(() -> {
      long x = 0;
      while (!stop.get()) {
        x++;
      }
      if (x == 42) {
        System.out.print(""); // keeps the loop from being optimised away
      }
    }, "spin-0"));
    threads.add(new Thread(() -> {
      while (!stop.get()) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "idle-0"));
    threads.forEach(Thread::start);
    Thread.sleep(millis);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return 7;
  }

  @Test
  void aSpinningThreadUsesCpuInTheWindowAndASleepingOneAlmostNone() throws Exception {
    ThreadCpu<Integer> u = ThreadCpu.during(() -> spinAndSleep(600), "spin-0",
        Duration.ofMillis(100), Duration.ofMillis(300));
    assertEquals(7, u.value());
    long window = u.window().toMillis();
    assertTrue(window >= 10 && window <= 450, "window " + window + " ms");
    double spin = u.cores("spin-");
    double idle = u.cores("idle-");
    int cores = Runtime.getRuntime().availableProcessors();
    // A spinning thread cannot use more than one core, nor can all threads more than the machine.
    assertTrue(spin > 0 && spin <= 1.05, "spin used " + spin + " cores");
    assertTrue(idle < 0.1, "a sleeping thread used " + idle + " cores");
    assertTrue(u.cores() <= cores * 1.05, "all threads used " + u.cores() + " of " + cores);
    assertTrue(u.table().labels("thread").contains("spin-0"), u.table().toString());
    assertEquals(0, u.cores("no-such-thread-"));
  }

  @Test
  void aTriggerThatNeverAppearsIsSaid() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ThreadCpu.during(() -> 1, "never-0", Duration.ZERO, Duration.ofMillis(10)));
    assertTrue(e.getMessage().contains("never-0"), e.getMessage());
  }

  @Test
  void theTasksExceptionComesThrough() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ThreadCpu.during(() -> {
          throw new IllegalArgumentException("boom");
        }, "never-0", Duration.ZERO, Duration.ofMillis(10)));
    assertEquals("boom", e.getMessage());
  }

  @Test
  void anExperimentsWorkersAndLoadGeneratorAreMeasuredAfterItsWarmUp() {
    Experiment e = Experiment.of("baseline-echo").workers(2).connections(4)
        .duration(Duration.ofMillis(600)).warmup(Duration.ofMillis(150));
    ThreadCpu<Result> u = ThreadCpu.of(e);
    assertTrue(u.value().throughput() > 0, u.value().headline());
    double workers = u.cores("worker-");
    double load = u.cores("load-");
    assertTrue(workers > 0 && workers <= 2.1, "workers used " + workers + " cores");
    assertTrue(load > 0 && load <= 1.05, "one load thread used " + load + " cores");
    // Four fifths of the 450 ms after the warm-up, plus slack for a late reading under load.
    assertTrue(u.window().toMillis() <= 360 + 100, "window " + u.window());
  }
}
