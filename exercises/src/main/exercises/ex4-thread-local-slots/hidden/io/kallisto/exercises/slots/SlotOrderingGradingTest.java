package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kallisto.event.Dispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.Seeds;
import io.kallisto.exercises.support.TraceOnFailure;
import io.kallisto.sim.Simulate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: ordering between the main loop and the workers, on simulated loops over
 * many seeds (each seed another interleaving; a failure names its seed and leaves the trace of
 * its replay).
 */
@ExtendWith(TraceOnFailure.class)
class SlotOrderingGradingTest {
  private static final int SEEDS = 50;

  @Test
  @Points(8)
  void theCompletionRunsOnceOnMainAfterEveryWorkersCallbackEnded(Seeds seeds) {
    seeds.check(SEEDS, 3, sim -> {
      int workers = 6;
      SimLoops loops = new SimLoops(sim, workers);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      SplittableRandom random = new SplittableRandom(sim.seed());
      long[] workNanos = random.longs(workers, 1_000, 200_000).toArray();
      SimRound round = new SimRound(sim, "runOnAllThreads", workers + 1);
      loops.runOnMain(() -> {
        ThreadSlot<Integer> slot = slots.allocateSlot();
        slot.set(d -> loops.workers.indexOf(d)); // -1 on main
        slot.runOnAllThreads(round.callback(i -> i < 0 ? 0 : workNanos[i]), round.completion());
      });
      round.check();
    });
  }

  @Test
  @Points(6)
  void severalCallsInFlightEachCompleteAfterTheirOwnCallbacks(Seeds seeds) {
    seeds.check(SEEDS, 3, sim -> {
      int workers = 4;
      int calls = 4;
      SimLoops loops = new SimLoops(sim, workers);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      SplittableRandom random = new SplittableRandom(sim.seed());
      long[][] workNanos = new long[calls][];
      List<SimRound> rounds = new ArrayList<>();
      for (int c = 0; c < calls; c++) {
        workNanos[c] = random.longs(workers, 1_000, 150_000).toArray();
        rounds.add(SimRound.inExecutionOrder(sim, "runOnAllThreads #" + (c + 1) + " of " + calls,
            workers + 1));
      }
      loops.runOnMain(() -> {
        ThreadSlot<Integer> slot = slots.allocateSlot();
        slot.set(d -> loops.workers.indexOf(d));
        // Two calls from one main callback, two more from the next: all four in flight at once.
        for (int c = 0; c < 2; c++) {
          long[] work = workNanos[c];
          slot.runOnAllThreads(rounds.get(c).callback(i -> i < 0 ? 0 : work[i]),
              rounds.get(c).completion());
        }
        loops.main.post(() -> {
          for (int c = 2; c < calls; c++) {
            long[] work = workNanos[c];
            slot.runOnAllThreads(rounds.get(c).callback(i -> i < 0 ? 0 : work[i]),
                rounds.get(c).completion());
          }
        });
      });
      for (SimRound round : rounds) {
        round.check();
      }
    });
  }

  /** A value that remembers its version and where it was built. */
  private record Version(int version, String madeFor, String madeOn) {}

  @Test
  @Points(5)
  void everyWorkerSeesTheLatestSetValueBuiltOnItsOwnLoop(Seeds seeds) {
    seeds.check(SEEDS, 3, sim -> {
      int workers = 4;
      int versions = 5;
      SimLoops loops = new SimLoops(sim, workers);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      List<String> problems = new ArrayList<>();
      loops.runOnMain(() -> {
        ThreadSlot<Version> slot = slots.allocateSlot();
        for (int v = 1; v <= versions; v++) {
          int version = v;
          slot.set(d -> {
            Simulate.cpu(Duration.ofNanos(5_000)); // building a value takes time
            return new Version(version, d.name(), SimLoops.current());
          });
          slot.runOnAllThreads(value -> {
            String loop = SimLoops.current();
            Version expected = new Version(version, loop, loop);
            if (!expected.equals(value)) {
              problems.add("runOnAllThreads after set() #" + version + " gave " + loop
                  + " the value " + value + "; expected " + expected);
            }
            Version got = slot.get();
            if (got != value) {
              problems.add("inside the callback on " + loop + ", get() returned " + got
                  + " but the callback was given " + value);
            }
          }, () -> { });
        }
      });
      assertEquals(List.of(), problems, "expected each loop, in a runOnAllThreads callback"
          + " following set() #v, to see version v of its own value, built for it on its own"
          + " loop (" + versions + " sets, " + workers + " workers)");
    });
  }

  @Test
  @Points(3)
  void aCallbackThatThrowsOnAWorkerStillLetsTheCompletionRun(Seeds seeds) {
    seeds.check(20, 3, sim -> {
      int workers = 3;
      SimLoops loops = new SimLoops(sim, workers);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      List<String> completions = new ArrayList<>();
      List<String> ran = new ArrayList<>();
      loops.runOnMain(() -> {
        ThreadSlot<String> slot = slots.allocateSlot();
        slot.set(Dispatcher::name);
        slot.runOnAllThreads(name -> {
          ran.add(name);
          if (name.equals("worker-1")) {
            throw new IllegalStateException("a callback failing on worker-1 (the test's doing)");
          }
        }, () -> completions.add(SimLoops.current()));
      });
      assertEquals(workers + 1, ran.size(), "expected the callback to run on main and on every"
          + " worker, but it ran on " + ran);
      assertEquals(List.of("main"), completions, "expected the completion to run once, on main,"
          + " although the callback threw on worker-1 (the loop logs the exception and goes on;"
          + " worker-1 still ran the callback); completions ran on " + completions);
    });
  }

  @Test
  @Points(2)
  void withNoWorkersTheCompletionIsPostedToMainAndRunsOnce(Seeds seeds) {
    seeds.check(5, 1, sim -> {
      SimLoops loops = new SimLoops(sim, 0);
      ThreadSlots slots = new ThreadSlots(loops.main, loops.workers);
      List<String> events = new ArrayList<>();
      loops.runOnMain(() -> {
        ThreadSlot<String> slot = slots.allocateSlot();
        slot.set(Dispatcher::name);
        slot.runOnAllThreads(v -> events.add("callback with " + v),
            () -> events.add("completion on " + SimLoops.current()));
        events.add("runOnAllThreads returned");
      });
      assertEquals(List.of("callback with main", "runOnAllThreads returned", "completion on main"),
          events, "expected, with no workers, the callback inline on main and the completion"
          + " posted to main: run once, after runOnAllThreads() returned");
    });
  }
}
