package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Seeds;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.sim.Simulate;
import io.kallisto.sim.SimulatedDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: closing slots (pending callbacks, completions, values, index reuse) and
 * the main-only rules, on simulated loops.
 */
@ExtendWith(TraceOnFailure.class)
class SlotLifecycleGradingTest {

  @Test
  @Points(6)
  void aClosedSlotsPendingCallbacksNeverRunAndItsIndexIsReused(Seeds seeds) {
    seeds.check(10, 3, sim -> {
      int workers = 3;
      SimLoops loops = new SimLoops(sim, workers);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      List<String> stale = new ArrayList<>();
      int[] indexes = new int[2];
      ThreadSlot<String> reused = loops.onMain(() -> {
        ThreadSlot<String> old = slots.allocateSlot();
        old.set(d -> {
          if (d != loops.main) {
            stale.add("the closed slot's set() initializer ran on " + SimLoops.current());
          }
          return "old value of " + d.name();
        });
        old.runOnAllThreads(v -> {
          if (!SimLoops.current().equals("main")) {
            stale.add("the closed slot's runOnAllThreads callback ran on " + SimLoops.current());
          }
        }, () -> stale.add("the closed slot's completion ran on " + SimLoops.current()));
        // None of those posts has run yet: the workers run only after this callback returns.
        old.close();
        ThreadSlot<String> fresh = slots.allocateSlot();
        indexes[0] = old.index();
        indexes[1] = fresh.index();
        fresh.set(d -> "new value of " + d.name());
        return fresh;
      });
      assertEquals(List.of(), stale, "expected none of a closed slot's pending callbacks to run"
          + " (set, runOnAllThreads were posted, then the slot closed before any worker ran)");
      assertEquals(indexes[0], indexes[1], "expected the slot allocated after a close to reuse"
          + " the closed slot's index " + indexes[0] + ", but it got " + indexes[1]);
      for (SimulatedDispatcher w : loops.workers) {
        String value = sim.call(w, reused::get);
        assertEquals("new value of " + w.name(), value, "expected " + w.name() + " to hold the"
            + " new slot's value at the reused index " + indexes[1] + ", not a value the closed"
            + " slot's late callbacks wrote there");
      }
    });
  }

  @Test
  @Points(3)
  void aCloseRacingWithTheCallbacksNeverLetsTheCompletionRunAfterIt(Seeds seeds) {
    seeds.check(50, 3, sim -> {
      int workers = 4;
      SimLoops loops = new SimLoops(sim, workers);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      SplittableRandom random = new SplittableRandom(sim.seed());
      long[] workNanos = random.longs(workers, 1_000, 100_000).toArray();
      long closeAfterNanos = random.nextLong(1_000, 150_000);
      List<String> events = new ArrayList<>();
      loops.runOnMain(() -> {
        ThreadSlot<Integer> slot = slots.allocateSlot();
        slot.set(d -> loops.workers.indexOf(d));
        slot.runOnAllThreads(i -> {
          if (i >= 0) {
            Simulate.cpu(Duration.ofNanos(workNanos[i]));
          }
        }, () -> events.add("completion"));
        // Close from a later main callback, racing with the workers' callbacks.
        loops.main.createTimer(() -> {
          slot.close();
          events.add("close");
        }).enable(Duration.ofNanos(closeAfterNanos));
      });
      boolean ok = events.equals(List.of("close")) || events.equals(List.of("completion", "close"));
      assertTrue(ok, "expected the completion either to run before close() or never, and at"
          + " most once; main saw " + events + " (close() " + closeAfterNanos + " ns after"
          + " runOnAllThreads)");
    });
  }

  /** A value that records where it was closed. */
  private record Closeable(String owner, List<String> closedOn) implements AutoCloseable {
    @Override
    public void close() {
      closedOn.add(owner + " closed on " + SimLoops.current());
    }
  }

  @Test
  @Points(3)
  void closingASlotClosesEachLoopsValueOnThatLoop(Seeds seeds) {
    seeds.check(10, 3, sim -> {
      int workers = 3;
      SimLoops loops = new SimLoops(sim, workers);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      List<String> closedOn = new ArrayList<>();
      ThreadSlot<Closeable> slot = loops.onMain(() -> {
        ThreadSlot<Closeable> s = slots.allocateSlot();
        s.set(d -> new Closeable(d.name(), closedOn));
        return s;
      });
      List<String> duringClose = loops.onMain(() -> {
        slot.close();
        return new ArrayList<>(closedOn);
      });
      assertEquals(List.of("main closed on main"), duringClose, "expected main's value closed"
          + " inline, on main, by the time close() returned");
      List<String> expected = new ArrayList<>(List.of("main closed on main"));
      for (int i = 0; i < workers; i++) {
        expected.add("worker-" + i + " closed on worker-" + i);
      }
      List<String> sorted = new ArrayList<>(closedOn);
      sorted.sort(null);
      assertEquals(expected, sorted, "expected every loop's value closed once, each on its own"
          + " loop");
    });
  }

  @Test
  @Points(2)
  void theLowestFreedIndexIsReusedFirst(Seeds seeds) {
    seeds.check(1, 1, sim -> {
      SimLoops loops = new SimLoops(sim, 2);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      List<Integer> got = loops.onMain(() -> {
        List<ThreadSlot<String>> s = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          s.add(slots.allocateSlot());
        }
        List<Integer> indexes = new ArrayList<>();
        s.forEach(slot -> indexes.add(slot.index()));
        s.get(2).close();
        s.get(0).close();
        s.get(0).close(); // idempotent: index 0 is freed once
        for (int i = 0; i < 3; i++) {
          indexes.add(slots.allocateSlot().index());
        }
        return indexes;
      });
      assertEquals(List.of(0, 1, 2, 3, 0, 2, 4), got, "expected indexes 0, 1, 2, 3 for four new"
          + " slots, then, after closing slot 2 and slot 0 (twice), 0 and 2 reused lowest first,"
          + " then the new index 4");
    });
  }

  @Test
  @Points(2)
  void aClosedSlotAndCallsOffMainAreRejected(Seeds seeds) {
    seeds.check(1, 2, sim -> {
      SimLoops loops = new SimLoops(sim, 2);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      ThreadSlot<String> open = loops.onMain(slots::allocateSlot);
      ThreadSlot<String> closed = loops.onMain(() -> {
        ThreadSlot<String> s = slots.allocateSlot();
        s.set(Dispatcher::name);
        s.close();
        return s;
      });
      assertThrows(IllegalStateException.class, () -> loops.onMain(closed::get),
          "expected get() on a closed slot to throw IllegalStateException");
      assertThrows(IllegalStateException.class,
          () -> loops.onMain(() -> {
            closed.set(Dispatcher::name);
            return null;
          }), "expected set() on a closed slot to throw IllegalStateException");
      assertThrows(IllegalStateException.class,
          () -> loops.onMain(() -> {
            closed.runOnAllThreads(v -> { }, () -> { });
            return null;
          }), "expected runOnAllThreads() on a closed slot to throw IllegalStateException");
      SimulatedDispatcher worker = loops.workers.get(0);
      String[] offMain = {"allocateSlot()", "set()", "runOnAllThreads()", "close()"};
      List<Runnable> calls = List.of(slots::allocateSlot, () -> open.set(Dispatcher::name),
          () -> open.runOnAllThreads(v -> { }, () -> { }), open::close);
      for (int i = 0; i < calls.size(); i++) {
        Runnable call = calls.get(i);
        assertThrows(IllegalStateException.class, () -> sim.call(worker, () -> {
          call.run();
          return null;
        }), "expected " + offMain[i] + " called on worker-0 to throw IllegalStateException:"
            + " it is main-only");
      }
    });
  }
}
