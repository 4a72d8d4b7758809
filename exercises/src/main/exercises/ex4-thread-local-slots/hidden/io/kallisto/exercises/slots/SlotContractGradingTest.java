package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.exercises.support.Points;
import io.kallisto.sim.Scheduler;
import io.kallisto.sim.SimulatedDispatcher;
import io.kallisto.sim.Simulation;
import io.kallisto.sim.SimulationCosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests: the parts of the contract that only show with more slots, more workers
 * or the wrong caller than the other tests use: many slots, a second close after the index was
 * reused, the worker limit, calls from a loop or thread that is not main, and main's slots used
 * from outside every loop before main's loop runs.
 */
class SlotContractGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private static SimLoops loops(int workers) {
    return new SimLoops(new Simulation("SlotContractGradingTest", 2, Scheduler.RANDOM, 1,
        SimulationCosts.DEFAULT), workers);
  }

  /** Every loop's value of {@code slot}: main's first, then each worker's. */
  private static List<Object> everyLoopsValue(SimLoops loops, ThreadSlot<?> slot) {
    List<Object> values = new ArrayList<>();
    values.add(loops.onMain(slot::get));
    for (SimulatedDispatcher w : loops.workers) {
      values.add(loops.sim.call(w, slot::get));
    }
    return values;
  }

  private static List<Object> expected(SimLoops loops, String prefix) {
    List<Object> values = new ArrayList<>();
    values.add(prefix + "main");
    for (SimulatedDispatcher w : loops.workers) {
      values.add(prefix + w.name());
    }
    return values;
  }

  @Test
  @Points(2)
  void aSecondCloseAfterItsIndexWasReusedLeavesTheNewSlotAlone() {
    assertTimeoutPreemptively(LIMIT, () -> {
      SimLoops loops = loops(2);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      ThreadSlot<String> old = loops.onMain(slots::allocateSlot);
      loops.runOnMain(() -> {
        old.set(Dispatcher::name);
        old.close();
      });
      ThreadSlot<String> reused = loops.onMain(() -> {
        ThreadSlot<String> s = slots.allocateSlot();
        s.set(d -> "new " + d.name());
        return s;
      });
      assertEquals(old.index(), reused.index(), "expected the closed slot's index reused");
      loops.runOnMain(old::close); // close() is idempotent: this must change nothing
      assertEquals(expected(loops, "new "), everyLoopsValue(loops, reused), "expected a second"
          + " close() of a closed slot to change nothing, but the new slot at its reused index "
          + reused.index() + " lost its values");
    });
  }

  @Test
  @Points(2)
  void slotsBeyondTheFirstFewHoldTheirOwnValuesOnEveryLoop() {
    assertTimeoutPreemptively(LIMIT, () -> {
      SimLoops loops = loops(2);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      int count = 19;
      List<ThreadSlot<String>> all = loops.onMain(() -> {
        List<ThreadSlot<String>> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          list.add(slots.allocateSlot());
        }
        return list;
      });
      for (int i : new int[] {8, count - 1}) {
        List<Object> none = new ArrayList<>();
        for (int k = 0; k <= loops.workers.size(); k++) {
          none.add(null);
        }
        assertEquals(none, everyLoopsValue(loops, all.get(i)), "expected slot " + i + " of "
            + count + " null on every loop before any set()");
      }
      // Far beyond the first few, then just past the end of what grew: storage must grow to
      // any index.
      for (int i : new int[] {count - 2, count - 1, 8, 0}) {
        ThreadSlot<String> slot = all.get(i);
        loops.runOnMain(() -> slot.set(d -> slot.index() + " " + d.name()));
        assertEquals(expected(loops, i + " "), everyLoopsValue(loops, slot), "expected slot " + i
            + " of " + count + " to hold each loop's own value after set()");
      }
      assertNull(loops.onMain(all.get(9)::get), "expected slot 9, never set, still null");
    });
  }

  @Test
  @Points(1)
  void theWorkerCountIsKeptAndImpossibleWorkerListsAreRejected() {
    Simulation sim = new Simulation("SlotContractGradingTest", 1, Scheduler.RANDOM, 1,
        SimulationCosts.DEFAULT);
    SimulatedDispatcher main = sim.createDispatcher("main");
    List<SimulatedDispatcher> workers = new ArrayList<>();
    for (int i = 0; i <= CompletionBarrier.MAX_PARTIES; i++) {
      workers.add(sim.createDispatcher("worker-" + i));
    }
    List<SimulatedDispatcher> most = workers.subList(0, CompletionBarrier.MAX_PARTIES);
    assertEquals(CompletionBarrier.MAX_PARTIES, new ThreadSlots(main, most).workerCount(),
        "expected " + CompletionBarrier.MAX_PARTIES + " workers (one barrier party each) accepted"
            + " and counted by workerCount()");
    assertThrows(IllegalArgumentException.class, () -> new ThreadSlots(main, workers),
        "expected IllegalArgumentException for " + workers.size() + " workers: a barrier has at"
            + " most " + CompletionBarrier.MAX_PARTIES + " parties");
    assertThrows(IllegalArgumentException.class,
        () -> new ThreadSlots(main, List.of(workers.get(0), workers.get(0))),
        "expected IllegalArgumentException for a worker given twice: it has one storage");
    assertThrows(IllegalArgumentException.class,
        () -> new ThreadSlots(main, List.of(workers.get(0), main)),
        "expected IllegalArgumentException for main given as a worker too");
  }

  @Test
  @Points(2)
  void aLoopThatIsNotOneOfTheSlotsDispatchersIsRejected() {
    assertTimeoutPreemptively(LIMIT, () -> {
      SimLoops loops = loops(2);
      SimulatedDispatcher stranger = loops.sim.createDispatcher("stranger");
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      ThreadSlot<String> slot = loops.onMain(() -> {
        ThreadSlot<String> s = slots.allocateSlot();
        s.set(Dispatcher::name);
        return s;
      });
      assertThrows(IllegalStateException.class, () -> loops.sim.call(stranger, slot::get),
          "expected get() on dispatcher 'stranger', which has no storage here, to throw"
              + " IllegalStateException, not to return another loop's value");
      assertThrows(IllegalStateException.class,
          () -> loops.sim.call(stranger, slots::allocateSlot),
          "expected allocateSlot() on dispatcher 'stranger' to throw IllegalStateException:"
              + " it is main-only");
    });
  }

  @Test
  @Points(2)
  void aThreadWithNoLoopIsRejectedWhileMainRunsElsewhere() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (RealLoops loops = new RealLoops(1, Dispatchers.best())) {
        ThreadSlots slots = new ThreadSlots(loops.main(), loops.workers());
        ThreadSlot<String> slot = loops.onMain(() -> {
          ThreadSlot<String> s = slots.allocateSlot();
          s.set(Dispatcher::name);
          return s;
        });
        // This test's thread runs no loop, and main's loop runs on its own thread.
        assertThrows(IllegalStateException.class, slot::get, "expected get() on a thread"
            + " that runs no loop, while main's loop runs elsewhere, to throw"
            + " IllegalStateException: no value belongs to it");
        assertThrows(IllegalStateException.class, slots::allocateSlot, "expected"
            + " allocateSlot() off main (main's loop runs on another thread) to throw"
            + " IllegalStateException");
        assertThrows(IllegalStateException.class, () -> slot.set(Dispatcher::name), "expected"
            + " set() off main (main's loop runs on another thread) to throw"
            + " IllegalStateException");
      }
    });
  }

  @Test
  @Points(2)
  void beforeMainsLoopRunsItsThreadUsesMainsValuesAndWorkersMayNotCallMainOnlyMethods() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Dispatcher main = Dispatchers.nio("main");
      try (RealLoops loops = new RealLoops(1, Dispatchers.best())) {
        // main's loop does not run (yet): the thread that will run it is main here.
        ThreadSlots slots = new ThreadSlots(main, loops.workers());
        ThreadSlot<String> slot = slots.allocateSlot();
        slot.set(d -> "value of " + d.name());
        assertEquals("value of main", slot.get(), "expected get() outside every loop, before"
            + " main's loop runs, to give main's value");
        assertEquals("value of " + loops.worker(0).name(),
            Dispatchers.callOnLoop(loops.worker(0), slot::get),
            "expected get() on worker-0 to give worker-0's own value");
        assertThrows(IllegalStateException.class,
            () -> Dispatchers.callOnLoop(loops.worker(0), slots::allocateSlot),
            "expected allocateSlot() inside worker-0's loop to throw IllegalStateException,"
                + " though main's loop is not running: another loop is running here");
        assertThrows(IllegalStateException.class, () -> Dispatchers.callOnLoop(loops.worker(0),
            () -> {
              slot.set(d -> "from a worker");
              return null;
            }), "expected set() inside worker-0's loop to throw IllegalStateException");
      } finally {
        main.close();
      }
    });
  }
}
