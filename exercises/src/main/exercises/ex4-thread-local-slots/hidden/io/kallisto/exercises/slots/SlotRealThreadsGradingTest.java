package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.event.DispatcherFactory;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: your slots on real loops (a main loop and three workers, each on its
 * own thread, epoll and NIO in turn), N runs, safety only: nothing early, nothing twice, nothing
 * off its loop. The failure rate is in the feedback.
 */
@ExtendWith(TraceOnFailure.class)
class SlotRealThreadsGradingTest {
  private static final int RUNS = 24;
  private static final int WORKERS = 3;

  /** One run on fresh loops; null, or what went wrong. */
  private interface Run {
    String on(RealLoops loops, SplittableRandom random) throws Exception;
  }

  private static void repeat(Run run, String expected) {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      int failed = 0;
      int runs = 0;
      String first = null;
      while (runs < RUNS && failed < 3) { // three failures are proof enough
        DispatcherFactory backend = RealLoops.BACKENDS.get(runs % RealLoops.BACKENDS.size());
        SplittableRandom random = new SplittableRandom(runs);
        runs++;
        String problem;
        try (RealLoops loops = new RealLoops(WORKERS, backend)) {
          problem = run.on(loops, random);
        } catch (RuntimeException | AssertionError e) {
          problem = "it threw " + e;
        }
        if (problem != null) {
          failed++;
          first = first == null ? "run " + runs + ": " + problem : first;
        }
      }
      assertEquals(0, failed, "expected " + expected + " in all " + RUNS + " runs; failed in "
          + failed + " of " + runs + " runs; first: " + first);
    });
  }

  /** Keeps the CPU busy for {@code nanos}: a callback's work (not a wait for anything). */
  private static void work(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  @Test
  @Points(6)
  void onRealLoopsEachCompletionRunsOnceOnMainAfterEveryCallbackReturned() {
    int calls = 20;
    repeat((loops, random) -> {
      ThreadSlots slots = new ThreadSlots(loops.main(), loops.workers());
      Thread mainThread = loops.onMain(Thread::currentThread);
      AtomicIntegerArray returned = new AtomicIntegerArray(calls);
      AtomicIntegerArray completions = new AtomicIntegerArray(calls);
      AtomicReference<String> problem = new AtomicReference<>();
      CountDownLatch allCompleted = new CountDownLatch(calls);
      long[][] workNanos = new long[calls][];
      for (int c = 0; c < calls; c++) {
        workNanos[c] = random.longs(WORKERS, 10_000, 300_000).toArray();
      }
      loops.runOnMain(() -> {
        ThreadSlot<Integer> slot = slots.allocateSlot();
        slot.set(d -> loops.workers().indexOf(d)); // -1 on main
        for (int c = 0; c < calls; c++) {
          int call = c;
          slot.runOnAllThreads(i -> {
            work(i < 0 ? 0 : workNanos[call][i]);
            returned.incrementAndGet(call);
          }, () -> {
            int done = returned.get(call);
            if (done != WORKERS + 1) {
              problem.compareAndSet(null, "the completion of call " + (call + 1) + " ran when"
                  + " only " + done + " of " + (WORKERS + 1) + " loops had returned from its"
                  + " callback");
            } else if (Thread.currentThread() != mainThread) {
              problem.compareAndSet(null, "the completion of call " + (call + 1) + " ran on"
                  + " thread '" + Thread.currentThread().getName() + "', not on main's");
            }
            if (completions.incrementAndGet(call) == 1) {
              allCompleted.countDown();
            } else {
              problem.compareAndSet(null, "the completion of call " + (call + 1) + " ran "
                  + completions.get(call) + " times");
            }
          });
        }
      });
      if (!RealLoops.await(allCompleted, 10)) {
        return problem.get() != null ? problem.get() : allCompleted.getCount() + " of " + calls
            + " completions never ran (waited 10 s)";
      }
      loops.drain(); // a completion posted twice has run by now
      return problem.get();
    }, "each of 20 runOnAllThreads calls in flight at once to complete once, on main, after"
        + " main and every worker returned from its callback");
  }

  /** A value that remembers its version and where it was built. */
  private record Version(int version, String madeFor, String thread) {}

  @Test
  @Points(3)
  void onRealLoopsEachWorkerBuildsTheLatestValueOnItsOwnThread() {
    int versions = 30;
    repeat((loops, random) -> {
      ThreadSlots slots = new ThreadSlots(loops.main(), loops.workers());
      AtomicReference<String> problem = new AtomicReference<>();
      CountDownLatch completed = new CountDownLatch(versions);
      loops.runOnMain(() -> {
        ThreadSlot<Version> slot = slots.allocateSlot();
        for (int v = 1; v <= versions; v++) {
          int version = v;
          slot.set(d -> new Version(version, d.name(), Thread.currentThread().getName()));
          slot.runOnAllThreads(value -> {
            String thread = Thread.currentThread().getName();
            Version expected = new Version(version, thread, thread);
            if (!expected.equals(value)) {
              problem.compareAndSet(null, "after set() #" + version + ", the callback on "
                  + thread + " was given " + value + "; expected " + expected);
            } else if (slot.get() != value) {
              problem.compareAndSet(null, "on " + thread + ", get() returned " + slot.get()
                  + " while the callback was given " + value);
            }
          }, completed::countDown);
        }
      });
      if (!RealLoops.await(completed, 10)) {
        return problem.get() != null ? problem.get() : completed.getCount() + " of " + versions
            + " completions never ran (waited 10 s)";
      }
      return problem.get();
    }, "every loop, in the runOnAllThreads callback after set() #v, to hold version v of its"
        + " own value, built on its own thread (" + versions + " sets in a row)");
  }
}
