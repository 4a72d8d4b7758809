package io.kallisto.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.threadlocal.Slot;
import io.kallisto.threadlocal.ThreadLocalInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Several simulated loops on one Java thread: time, cores, identity, wakeups, slots, seeds. */
class SimulationTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private static Simulation sim(int cores, Scheduler scheduler, long seed) {
    return new Simulation("test", cores, scheduler, seed, SimulationCosts.FREE);
  }

  @Test
  void eachCallbackSeesItsOwnDispatcherAsCurrentAndThreadSafeAndNoOther() {
    Simulation sim = sim(2, Scheduler.FIFO, 1);
    SimulatedDispatcher a = sim.createDispatcher("a");
    SimulatedDispatcher b = sim.createDispatcher("b");
    List<String> seen = new ArrayList<>();
    a.post(() -> {
      seen.add("current=" + Dispatchers.current().name() + " a=" + a.isThreadSafe()
          + " b=" + b.isThreadSafe());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> b.createTimer(() -> { }));
      seen.add(e.getMessage());
    });
    b.post(() -> seen.add("current=" + Dispatchers.current().name() + " a=" + a.isThreadSafe()
        + " b=" + b.isThreadSafe()));
    sim.runUntilIdle();
    assertEquals("current=a a=true b=false", seen.get(0));
    assertTrue(seen.get(1).contains("'b': createTimer() must be called on its loop thread 'b'"),
        seen.get(1));
    assertTrue(seen.get(1).endsWith("not on 'a'"), seen.get(1));
    assertEquals("current=b a=false b=true", seen.get(2));
    assertNull(Dispatchers.current(), "between steps no dispatcher is current");
  }

  @Test
  void aPostALongerStepMadeLaterIsNotRunInABatchThatBeganBeforeIt() {
    // Both orders of the two steps: the poster's step may run first in Java or second.
    for (boolean posterFirst : new boolean[] {true, false}) {
      Simulation sim = sim(2, Scheduler.FIFO, 1);
      SimulatedDispatcher poster = posterFirst ? sim.createDispatcher("poster") : null;
      SimulatedDispatcher target = sim.createDispatcher("target");
      if (poster == null) {
        poster = sim.createDispatcher("poster");
      }
      SimulatedDispatcher from = poster;
      long[] postedAt = {-1};
      long[] ranAt = {-1};
      List<String> order = new ArrayList<>();
      from.post(() -> {
        Simulate.cpu(Duration.ofMillis(10));
        postedAt[0] = from.now();
        target.post(() -> {
          ranAt[0] = target.now();
          order.add("late");
        });
      });
      // The target's batch begins at 0 and its own posts end by 3 ms, before the poster's post
      // exists in virtual time (10 ms), whatever order Java runs the two steps in.
      for (int i = 0; i < 3; i++) {
        int n = i;
        target.post(() -> {
          Simulate.cpu(Duration.ofMillis(1));
          order.add("early-" + n);
        });
      }
      sim.runUntilIdle();
      assertTrue(ranAt[0] >= postedAt[0], "posterFirst=" + posterFirst + ": the late post ran at "
          + ranAt[0] + " ns, before it was made at " + postedAt[0] + " ns");
      assertEquals("late", order.get(order.size() - 1), "posterFirst=" + posterFirst
          + ": FIFO on the target: " + order);
    }
  }

  @Test
  void cpuWorkOnOneCoreIsSerializedAndOnTwoCoresOverlaps() {
    for (int cores : new int[] {1, 2}) {
      Simulation sim = sim(cores, Scheduler.FIFO, 1);
      long[] done = new long[2];
      for (int i = 0; i < 2; i++) {
        int n = i;
        SimulatedDispatcher d = sim.createDispatcher("d" + i);
        d.post(() -> {
          Simulate.cpu(Duration.ofMillis(1));
          done[n] = d.now();
        });
      }
      sim.runUntilIdle();
      long last = Math.max(done[0], done[1]);
      assertEquals(cores == 1 ? 2_000_000L : 1_000_000L, last, cores + " cores");
    }
  }

  @Test
  void aSleepingLoopLeavesItsCoreToAnother() {
    Simulation sim = sim(1, Scheduler.FIFO, 1);
    SimulatedDispatcher sleeper = sim.createDispatcher("sleeper");
    SimulatedDispatcher worker = sim.createDispatcher("worker");
    long[] workerDone = {0};
    sleeper.post(() -> Simulate.sleep(Duration.ofMillis(10)));
    worker.post(() -> {
      Simulate.cpu(Duration.ofMillis(1));
      workerDone[0] = worker.now();
    });
    sim.runUntilIdle();
    assertEquals(1_000_000L, workerDone[0], "ran while the sleeper blocked, on the only core");
    assertEquals(10_000_000L, sim.now());
  }

  @Test
  void aPostToASleepingLoopWritesOneWakeupAndItsCallbackRunsAWakeupLater() {
    SimulationCosts costs = SimulationCosts.FREE.withWakeupNanos(2_000);
    Simulation sim = new Simulation("wake", 2, Scheduler.FIFO, 1, costs);
    SimulatedDispatcher poster = sim.createDispatcher("poster");
    SimulatedDispatcher sleeper = sim.createDispatcher("sleeper");
    sim.runUntilIdle(); // both asleep now
    long[] ranAt = {0};
    poster.post(() -> {
      for (int i = 0; i < 3; i++) {
        sleeper.post(() -> ranAt[0] = sleeper.now());
      }
    });
    long start = sim.now();
    sim.runUntilIdle();
    assertEquals(1, sleeper.stats().wakeupsWritten(), "three posts, one wakeup");
    assertEquals(3, sleeper.stats().postsRun());
    // poster wakes (2 us), posts; sleeper wakes 2 us after the first post.
    assertEquals(start + 4_000, ranAt[0]);
  }

  @Test
  void timersFireInVirtualTimeOnADrivenLoop() {
    Simulation sim = sim(1, Scheduler.FIFO, 1);
    SimulatedDispatcher d = sim.createDispatcher("timers");
    List<Long> firedAt = new ArrayList<>();
    Timer[] t = new Timer[1];
    t[0] = d.createTimer(() -> {
      firedAt.add(d.now());
      if (firedAt.size() < 3) {
        t[0].enable(Duration.ofSeconds(1));
      }
    });
    t[0].enable(Duration.ofSeconds(1));
    sim.runUntilIdle();
    assertEquals(List.of(1_000_000_000L, 2_000_000_000L, 3_000_000_000L), firedAt);
  }

  @Test
  void runOnADrivenDispatcherIsRefusedNamingTheSimulation() {
    Simulation sim = sim(1, Scheduler.FIFO, 1);
    SimulatedDispatcher d = sim.createDispatcher("driven");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> d.run(RunType.NON_BLOCK));
    assertTrue(e.getMessage().contains("belongs to simulation 'test'"), e.getMessage());
  }

  @Test
  void slotSetRunsInlineOnMainAndByPostOnEachWorkerAndGetAnswersPerDispatcher() {
    Simulation sim = sim(2, Scheduler.FIFO, 1);
    SimulatedDispatcher main = sim.createDispatcher("main");
    SimulatedWorkerPool pool = new SimulatedWorkerPool(sim, 3);
    pool.start();
    ThreadLocalInstance tls = ThreadLocalInstance.create();
    tls.registerThread(main, true);
    for (int i = 0; i < pool.size(); i++) {
      tls.registerThread(pool.worker(i).dispatcher(), false);
    }
    Slot<String> slot = tls.allocateSlot();
    slot.set(Dispatcher::name);
    assertEquals("main", slot.get(), "inline on main");
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      pool.worker(i).post(() -> seen.add(Dispatchers.current().name() + ":" + slot.get()));
    }
    sim.runUntilIdle();
    seen.sort(null);
    assertEquals(List.of("worker-0:worker-0", "worker-1:worker-1", "worker-2:worker-2"), seen);
    pool.stop();
  }

  @Test
  void runOnAllThreadsCompletionIsNeverSeenBeforeEveryWorkerRanItsCallbackUnderAThousandSeeds() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int workers = 5;
      for (long seed = 1; seed <= 1_000; seed++) {
        Simulation sim = new Simulation("tls", 3, Scheduler.RANDOM, seed,
            SimulationCosts.DEFAULT);
        SimulatedDispatcher main = sim.createDispatcher("main");
        SimulatedWorkerPool pool = new SimulatedWorkerPool(sim, workers);
        pool.start();
        ThreadLocalInstance tls = ThreadLocalInstance.create();
        tls.registerThread(main, true);
        for (int i = 0; i < workers; i++) {
          tls.registerThread(pool.worker(i).dispatcher(), false);
        }
        Slot<int[]> slot = tls.allocateSlot();
        slot.set(d -> new int[1]);
        int[] ran = {0};
        boolean[] ranOn = new boolean[workers];
        List<String> problems = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        // Unrelated work keeps some workers busy for random times.
        for (int i = 0; i < workers; i++) {
          long work = random.nextLong(20_000);
          pool.worker(i).post(() -> Simulate.cpu(work));
        }
        int[] completions = {0};
        main.post(() -> slot.runOnAllThreads(value -> {
          Dispatcher d = Dispatchers.current();
          if (d != main) {
            value[0]++;
            ranOn[Integer.parseInt(d.name().substring("worker-".length()))] = true;
            ran[0]++;
          }
        }, () -> {
          completions[0]++;
          if (Dispatchers.current() != main) {
            problems.add("completion ran on " + Dispatchers.current().name());
          }
          for (int i = 0; i < workers; i++) {
            if (!ranOn[i]) {
              problems.add("completion before worker-" + i + " ran the callback");
            }
          }
        }));
        sim.runUntilIdle();
        assertEquals(List.of(), problems, "seed " + seed);
        assertEquals(1, completions[0], "seed " + seed);
        assertEquals(workers, ran[0], "seed " + seed);
        pool.stop();
      }
    });
  }

  @Test
  void theSameSeedGivesTheSameInterleavingAndAnotherSeedAnotherUnderTheRandomScheduler() {
    assertEquals(interleaving(Scheduler.RANDOM, 7), interleaving(Scheduler.RANDOM, 7));
    assertNotEquals(interleaving(Scheduler.RANDOM, 7), interleaving(Scheduler.RANDOM, 8));
    assertEquals(interleaving(Scheduler.FIFO, 7), interleaving(Scheduler.FIFO, 8),
        "FIFO ignores the seed");
  }

  /** Eight loops on two cores each post a chain of five steps; the order they ran in. */
  private static String interleaving(Scheduler scheduler, long seed) {
    Simulation sim = new Simulation("order", 2, scheduler, seed, SimulationCosts.DEFAULT);
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      SimulatedDispatcher d = sim.createDispatcher("d" + i);
      chain(d, order, 5);
    }
    sim.runUntilIdle();
    return order.toString();
  }

  private static void chain(SimulatedDispatcher d, StringBuilder order, int left) {
    d.post(() -> {
      order.append(d.name()).append(' ');
      Simulate.cpu(1_000);
      if (left > 1) {
        chain(d, order, left - 1);
      }
    });
  }

  @Test
  void aLoopHeldPastOneSecondOfVirtualTimeCountsOneMissAndOneMegaMissAndAnIdleLoopNone() {
    Simulation sim = new Simulation("dog", 3, Scheduler.FIFO, 1, SimulationCosts.DEFAULT);
    SimulatedDispatcher stuck = sim.createDispatcher("stuck");
    SimulatedDispatcher idle = sim.createDispatcher("idle");
    SimulatedDispatcher guard = sim.createDispatcher("guarddog");
    io.kallisto.event.StallDetector stalls =
        new io.kallisto.event.StallDetector(List.of("stuck", "idle"), sim.now());
    sim.call(stuck, () -> stalls.touchTimer(stuck, 0));
    sim.call(idle, () -> stalls.touchTimer(idle, 1));
    sim.call(guard, () -> stalls.checkTimer(guard));
    sim.runFor(Duration.ofMillis(500));
    stuck.post(() -> Simulate.sleep(Duration.ofMillis(1_500)));
    sim.runFor(Duration.ofSeconds(3));
    assertEquals(1, stalls.misses(0));
    assertEquals(1, stalls.megaMisses(0));
    assertEquals(0, stalls.misses(1));
    assertEquals(0, stalls.megaMisses(1));
  }

  @Test
  void aSimulatedPoolOfSixtyFourWorkersOnFourCoresRunsEveryRequestAndStopsDrained() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Simulation sim = new Simulation("big", 4, Scheduler.FIFO, 1, SimulationCosts.DEFAULT);
      SimulatedWorkerPool pool = new SimulatedWorkerPool(sim, 64);
      pool.start();
      int[] ran = {0};
      for (int i = 0; i < 6_400; i++) {
        pool.dispatch(() -> {
          Simulate.cpu(10_000);
          ran[0]++;
        });
      }
      pool.stop();
      assertEquals(6_400, ran[0]);
      assertEquals(6_400, pool.totalRequests());
      // 64 ms of CPU on 4 cores: at least 16 ms of virtual time.
      assertTrue(sim.now() >= 16_000_000L, "t=" + sim.now());
      for (int i = 0; i < 64; i++) {
        assertEquals(100, pool.worker(i).dispatcher().stats().postsRun() - 2,
            "the ready marker and the exit are posts too");
      }
    });
  }
}
