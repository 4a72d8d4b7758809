package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.sim.Scheduler;
import io.kallisto.sim.SimulatedDispatcher;
import io.kallisto.sim.Simulation;
import io.kallisto.sim.SimulationCosts;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests: what a slot keeps. A call that has finished, and a slot that was
 * closed, must leave nothing behind: the bookkeeping of each call (its barrier, its callback,
 * its completion) is dropped when its completion has run, and a closed slot drops every loop's
 * value. Counted from outside: objects the test made and then watches with weak references, the
 * heap after many calls, and the engine's count of posts run. On simulated loops, one seed.
 */
class SlotResourcesGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(45);
  private static final int WORKERS = 2;

  private static SimLoops loops() {
    return new SimLoops(new Simulation("SlotResourcesGradingTest", 2, Scheduler.RANDOM, 1,
        SimulationCosts.DEFAULT), WORKERS);
  }

  /** A slot of {@code slots}, set to each dispatcher's name. */
  private static ThreadSlot<String> namedSlot(SimLoops loops, ThreadSlots slots) {
    return loops.onMain(() -> {
      ThreadSlot<String> s = slots.allocateSlot();
      s.set(Dispatcher::name);
      return s;
    });
  }

  /** Collects garbage until every reference in {@code refs} is cleared, or a few times over. */
  private static long stillReachable(List<? extends WeakReference<?>> refs) {
    for (int i = 0; i < 5; i++) {
      System.gc();
      if (refs.stream().allMatch(r -> r.get() == null)) {
        return 0;
      }
    }
    return refs.stream().filter(r -> r.get() != null).count();
  }

  @Test
  @Points(3)
  void finishedCallsKeepNeitherTheirCallbacksNorTheirCompletions() {
    assertTimeoutPreemptively(LIMIT, () -> {
      SimLoops loops = loops();
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      int calls = 200;
      List<WeakReference<Object>> watched = new ArrayList<>();
      int[] completed = {0};
      ThreadSlot<String> slot = namedSlot(loops, slots);
      loops.runOnMain(() -> {
        for (int c = 0; c < calls; c++) {
          Consumer<String> callback = new Consumer<>() {
            @Override
            public void accept(String value) {}
          };
          Runnable completion = new Runnable() {
            @Override
            public void run() {
              completed[0]++;
            }
          };
          watched.add(new WeakReference<>(callback));
          watched.add(new WeakReference<>(completion));
          slot.runOnAllThreads(callback, completion);
        }
      });
      assertEquals(calls, completed[0], "expected all " + calls + " completions to run");
      long kept = stillReachable(watched);
      assertEquals(0, kept, "expected nothing of " + calls + " finished runOnAllThreads calls"
          + " to be kept by the slot, but " + kept + " of their " + watched.size()
          + " callbacks and completions were still reachable after every completion had run:"
          + " drop a call's bookkeeping when it completes");
      Reference.reachabilityFence(slot); // the slot stays reachable: what it keeps counts
    });
  }

  @Test
  @Points(3)
  void manyFinishedCallsLeaveTheHeapAndThePostsPerCallAsTheyWere() {
    assertTimeoutPreemptively(LIMIT, () -> {
      SimLoops loops = loops();
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      ThreadSlot<String> slot = namedSlot(loops, slots);
      runCalls(loops, slot, 20_000); // warms up: what is allocated once is allocated now
      // Two equal phases: a leak grows the heap in both, a one-time allocation in one only.
      int phase = 40_000;
      long heap0 = usedHeapAfterGc();
      long posts0 = postsRun(loops);
      runCalls(loops, slot, phase);
      long heap1 = usedHeapAfterGc();
      long posts1 = postsRun(loops);
      runCalls(loops, slot, phase);
      long heap2 = usedHeapAfterGc();
      long posts2 = postsRun(loops);
      long grown = Math.min(heap1 - heap0, heap2 - heap1);
      long perCall = grown / phase;
      System.out.println("heap grew " + (heap1 - heap0) + " then " + (heap2 - heap1)
          + " bytes over " + phase + " calls each; posts " + (posts1 - posts0) + " then "
          + (posts2 - posts1)); // for the log
      assertTrue(perCall < 4, "expected the heap to stay as it was over runOnAllThreads calls"
          + " that have finished, but it grew by " + (heap1 - heap0) + " and then "
          + (heap2 - heap1) + " bytes over two rounds of " + phase + " calls, at least "
          + perCall + " bytes a call: something is kept per call after it completed");
      assertTrue(posts2 - posts1 <= posts1 - posts0, "expected each call to cost the same"
          + " posts however many calls came before, but " + phase + " calls ran "
          + (posts1 - posts0) + " posts, and the next " + phase + " ran " + (posts2 - posts1));
    });
  }

  private static void runCalls(SimLoops loops, ThreadSlot<String> slot, int calls) {
    int[] completed = {0};
    int step = 500; // a few hundred in flight at once, as a busy main loop would have
    for (int done = 0; done < calls; done += step) {
      loops.runOnMain(() -> {
        for (int c = 0; c < step; c++) {
          slot.runOnAllThreads(v -> { }, () -> completed[0]++);
        }
      });
    }
    assertEquals(calls, completed[0], "expected all " + calls + " completions to run");
  }

  private static long postsRun(SimLoops loops) {
    long n = loops.main.stats().postsRun();
    for (SimulatedDispatcher w : loops.workers) {
      n += w.stats().postsRun();
    }
    return n;
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  @Test
  @Points(3)
  void aClosedSlotLetsGoOfEveryLoopsValue() {
    assertTimeoutPreemptively(LIMIT, () -> {
      SimLoops loops = loops();
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      List<WeakReference<Object>> values = new ArrayList<>();
      ThreadSlot<Object> slot = loops.onMain(() -> {
        ThreadSlot<Object> s = slots.allocateSlot();
        s.set(d -> {
          Object value = new Object[] {d.name()}; // not AutoCloseable: only dropping frees it
          values.add(new WeakReference<>(value));
          return value;
        });
        return s;
      });
      assertEquals(WORKERS + 1, values.size(), "expected a value made for main and each worker");
      loops.runOnMain(slot::close);
      long kept = stillReachable(values);
      assertEquals(0, kept, "expected a closed slot to let go of every loop's value once the"
          + " loops had run, but " + kept + " of " + values.size() + " values were still"
          + " reachable");
      ThreadSlot<Object> reused = loops.onMain(slots::allocateSlot);
      assertEquals(slot.index(), reused.index(), "expected the closed slot's index reused");
      List<Object> seen = new ArrayList<>();
      seen.add(loops.onMain(reused::get));
      for (SimulatedDispatcher w : loops.workers) {
        seen.add(loops.sim.call(w, reused::get));
      }
      assertTrue(seen.stream().allMatch(v -> v == null), "expected a new slot at a reused"
          + " index to be null on every loop until set, but it held " + seen);
    });
  }
}
