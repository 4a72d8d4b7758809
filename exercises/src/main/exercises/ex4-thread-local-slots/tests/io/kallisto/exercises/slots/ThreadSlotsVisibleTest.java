package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Seeds;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Your slots on real loops (a main loop and two workers, each on its own thread) and on
 * simulated ones. Run with {@code kallisto grade ex4 --src DIR --visible-only}; a failing test
 * leaves a trace to open with {@code ./kallisto view FILE}.
 */
@ExtendWith(TraceOnFailure.class)
class ThreadSlotsVisibleTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** A value that remembers which dispatcher it was made for, and where it was made. */
  record Built(String madeFor, String madeOn, String thread) {
    static Built by(Dispatcher d) {
      return new Built(d.name(), SimLoops.current(), Thread.currentThread().getName());
    }
  }

  @Test
  @Points(3)
  void setBuildsMainsValueInlineAndEachWorkersValueOnThatWorker() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (RealLoops loops = new RealLoops(2, Dispatchers.best())) {
        ThreadSlots slots = new ThreadSlots(loops.main(), loops.workers());
        ThreadSlot<Built> slot = loops.onMain(() -> {
          ThreadSlot<Built> s = slots.allocateSlot();
          s.set(Built::by);
          // Inline: main's value is in place when set() returns, before any post has run.
          Built mine = s.get();
          assertNotNull(mine, "expected main's value in place as soon as set() returned: set()"
              + " runs the initializer inline on main, but get() on main returned null");
          assertEquals(new Built("main", "main", "main"), mine, "expected main's value built"
              + " for main, on main's loop and thread");
          return s;
        });
        for (int i = 0; i < 2; i++) {
          String name = "worker-" + i;
          Built seen = Dispatchers.callOnLoop(loops.worker(i), slot::get);
          assertEquals(new Built(name, name, name), seen, "expected " + name + "'s value, read"
              + " on " + name + " in a callback posted after set() returned, to be built for "
              + name + " on " + name + "'s own loop and thread");
        }
      }
    });
  }

  @Test
  @Points(4)
  void completionRunsOnMainOnlyAfterEveryWorkerRanTheCallback() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (RealLoops loops = new RealLoops(2, Dispatchers.best())) {
        ThreadSlots slots = new ThreadSlots(loops.main(), loops.workers());
        ThreadSlot<String> slot = loops.onMain(() -> {
          ThreadSlot<String> s = slots.allocateSlot();
          s.set(d -> "value of " + d.name());
          return s;
        });
        for (int held = 0; held < 2; held++) {
          completesOnlyAfterTheHeldWorker(loops, slot, held);
        }
      }
    });
  }

  /** One runOnAllThreads while worker {@code held} is busy until the test releases it. */
  private static void completesOnlyAfterTheHeldWorker(RealLoops loops, ThreadSlot<String> slot,
      int held) {
    int other = 1 - held;
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    List<String> completions = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch completed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // The held worker cannot run the callback until released: a completion before that is early.
    loops.worker(held).post(() -> RealLoops.await(release, 20));
    try {
      loops.runOnMain(() -> slot.runOnAllThreads(v -> ran.add(SimLoops.current() + " saw " + v),
          () -> {
            completions.add(SimLoops.current() + " on thread "
                + Thread.currentThread().getName());
            completed.countDown();
          }));
      // The other worker has run the callback; what it posted to main then has run, too.
      Dispatchers.callOnLoop(loops.worker(other), () -> null);
      loops.runOnMain(() -> { });
      assertEquals(List.of(), completions, "expected no completion while worker-" + held
          + " has not run the callback (callbacks so far: " + ran + ")");
    } finally {
      release.countDown();
    }
    assertTrue(RealLoops.await(completed, 10), "expected the completion to run within 10 s of"
        + " worker-" + held + " running the callback; callbacks: " + ran);
    loops.drain();
    assertEquals(List.of("main on thread main"), completions, "expected the completion to run"
        + " once, on main's loop (worker-" + held + " was the last to run the callback);"
        + " callbacks: " + ran);
    assertEquals(List.of("main saw value of main", "worker-0 saw value of worker-0",
        "worker-1 saw value of worker-1"), sorted(ran), "expected the callback to run once on"
        + " each loop with that loop's value");
  }

  @Test
  @Points(4)
  void onSimulatedLoopsTheCompletionStartsAfterEveryCallbackEnded(Seeds seeds) {
    seeds.check(20, 2, sim -> {
      SimLoops loops = new SimLoops(sim, 3);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      SplittableRandom random = new SplittableRandom(sim.seed());
      long[] workNanos = random.longs(3, 1_000, 100_000).toArray(); // per worker
      SimRound round = new SimRound(sim, "runOnAllThreads", 4);
      loops.runOnMain(() -> {
        ThreadSlot<Integer> slot = slots.allocateSlot();
        slot.set(d -> loops.workers.indexOf(d)); // -1 on main
        slot.runOnAllThreads(round.callback(i -> i < 0 ? 0 : workNanos[i]), round.completion());
      });
      round.check();
    });
  }

  @Test
  @Points(2)
  void aSlotIsNullEverywhereUntilSetAndMainOnlyCallsAreRejectedOnAWorker(Seeds seeds) {
    seeds.check(5, 2, sim -> {
      SimLoops loops = new SimLoops(sim, 2);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      ThreadSlot<String> slot = loops.onMain(slots::allocateSlot);
      assertNull(loops.onMain(slot::get), "expected main's value null before any set()");
      List<String> problems = new ArrayList<>();
      loops.workers.get(1).post(() -> {
        try {
          if (slot.get() != null) {
            problems.add("worker-1's value was not null before any set()");
          }
        } catch (RuntimeException e) {
          problems.add("get() on worker-1 threw " + e);
        }
        try {
          slot.set(d -> "from a worker");
          problems.add("set() on worker-1 returned instead of throwing IllegalStateException");
        } catch (IllegalStateException expected) {
          // main-only
        } catch (RuntimeException e) {
          problems.add("set() on worker-1 threw " + e + ", not IllegalStateException");
        }
      });
      sim.runUntilIdle();
      assertEquals(List.of(), problems, "expected get() null on a worker before any set(), and"
          + " set() rejected off main");
    });
  }

  private static List<String> sorted(List<String> list) {
    List<String> copy;
    synchronized (list) {
      copy = new ArrayList<>(list);
    }
    Collections.sort(copy);
    return copy;
  }
}
