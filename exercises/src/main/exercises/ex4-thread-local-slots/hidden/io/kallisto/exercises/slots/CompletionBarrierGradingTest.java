package io.kallisto.exercises.slots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests for CompletionBarrier: real threads racing on many barriers, N runs,
 * safety only (each barrier completes once, never early; a cancel and the last arrival never
 * both win); and wide barriers on one thread.
 */
class CompletionBarrierGradingTest {
  private static final int RUNS = 40;
  private static final int BARRIERS = 5_000;

  /** One run of {@code threads} threads over fresh barriers; null, or what went wrong. */
  private interface Race {
    String run() throws Exception;
  }

  /** Runs {@code race} up to {@link #RUNS} times (stopping at the third failure). */
  private static void repeat(Race race, String expected) {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      int failed = 0;
      int runs = 0;
      String first = null;
      while (runs < RUNS && failed < 3) { // three failures are proof enough
        runs++;
        String problem = race.run();
        if (problem != null) {
          failed++;
          first = first == null ? problem : first;
        }
      }
      assertEquals(0, failed, "expected " + expected + " in all " + RUNS + " runs; failed in "
          + failed + " of " + runs + " runs; first: " + first);
    });
  }

  /** Starts {@code bodies} on threads released together; joins them; null, or what one threw. */
  private static String together(List<Runnable> bodies) throws Exception {
    CyclicBarrier start = new CyclicBarrier(bodies.size());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (Runnable body : bodies) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          body.run();
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(20_000);
      if (t.isAlive()) {
        return "a thread was still inside the barrier after 20 s";
      }
    }
    return failure.get() == null ? null : "a thread threw " + failure.get();
  }

  @Test
  @Points(6)
  void concurrentArrivalsCompleteEachBarrierExactlyOnceAndNeverEarly() {
    int parties = 2; // one thread per core of a small machine: they really run at once
    repeat(() -> {
      CompletionBarrier[] barriers = new CompletionBarrier[BARRIERS];
      for (int i = 0; i < BARRIERS; i++) {
        barriers[i] = new CompletionBarrier(parties);
      }
      AtomicIntegerArray calling = new AtomicIntegerArray(BARRIERS * parties);
      AtomicIntegerArray returned = new AtomicIntegerArray(BARRIERS * parties);
      AtomicIntegerArray completions = new AtomicIntegerArray(BARRIERS);
      AtomicReference<String> early = new AtomicReference<>();
      List<Runnable> bodies = new ArrayList<>();
      for (int p = 0; p < parties; p++) {
        int party = p;
        bodies.add(() -> {
          for (int i = 0; i < BARRIERS; i++) {
            calling.set(i * parties + party, 1); // about to arrive
            if (barriers[i].arrive(party)) {
              completions.incrementAndGet(i);
              for (int q = 0; q < parties; q++) {
                if (calling.get(i * parties + q) == 0) {
                  early.compareAndSet(null, "barrier " + i + ": party " + party + "'s arrive()"
                      + " returned true before party " + q + " had called arrive()");
                }
              }
            }
            returned.set(i * parties + party, 1);
            // Lock step: every party leaves barrier i before any arrives at i + 1, so that the
            // arrivals at each barrier race with each other.
            for (int q = 0; q < parties; q++) {
              awaitFlag(returned, i * parties + q);
            }
          }
        });
      }
      String problem = together(bodies);
      if (problem != null) {
        return problem;
      }
      if (early.get() != null) {
        return early.get();
      }
      int none = 0;
      int twice = 0;
      String example = null;
      for (int i = 0; i < BARRIERS; i++) {
        int c = completions.get(i);
        if (c != 1 && example == null) {
          example = "barrier " + i + " (" + barriers[i] + ", arrivedCount() "
              + barriers[i].arrivedCount() + ") had " + c + " arrivals return true";
        }
        none += c == 0 ? 1 : 0;
        twice += c > 1 ? 1 : 0;
      }
      if (none + twice > 0) {
        return none + " of " + BARRIERS + " barriers never completed and " + twice
            + " completed more than once; e.g. " + example;
      }
      return null;
    }, "each of " + BARRIERS + " barriers, raced on by 2 threads, to have exactly one arrive()"
        + " return true, after both parties called arrive()");
  }

  /** Spins, then yields, until {@code flags[i]} is set: the other thread may have no core. */
  private static void awaitFlag(AtomicIntegerArray flags, int i) {
    for (int spins = 0; flags.get(i) == 0; spins++) {
      if (spins < 200) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  @Test
  @Points(3)
  void aCancelRacingWithTheLastArrivalNeverBothWin() {
    repeat(() -> {
      CompletionBarrier[] barriers = new CompletionBarrier[BARRIERS];
      for (int i = 0; i < BARRIERS; i++) {
        barriers[i] = new CompletionBarrier(2);
        barriers[i].arrive(0);
      }
      boolean[] arrivedLast = new boolean[BARRIERS];
      boolean[] cancelled = new boolean[BARRIERS];
      String problem = together(List.of(
          () -> {
            for (int i = 0; i < BARRIERS; i++) {
              arrivedLast[i] = barriers[i].arrive(1);
            }
          },
          () -> {
            for (int i = 0; i < BARRIERS; i++) {
              cancelled[i] = barriers[i].cancel();
            }
          }));
      if (problem != null) {
        return problem;
      }
      for (int i = 0; i < BARRIERS; i++) {
        CompletionBarrier b = barriers[i];
        if (arrivedLast[i] == cancelled[i]) {
          return "barrier " + i + ": arrive(1) returned " + arrivedLast[i] + " and cancel()"
              + " returned " + cancelled[i] + "; exactly one of them wins";
        }
        if (b.isComplete() != arrivedLast[i] || b.isCancelled() != cancelled[i]) {
          return "barrier " + i + ": arrive(1) returned " + arrivedLast[i] + " and cancel() "
              + cancelled[i] + ", but afterwards isComplete() is " + b.isComplete()
              + " and isCancelled() " + b.isCancelled();
        }
      }
      return null;
    }, "exactly one of arrive(last party) and a racing cancel() to return true, on each of "
        + BARRIERS + " barriers");
  }

  @Test
  @Points(2)
  void wideBarriersCompleteOnlyOnTheLastOfTheirParties() {
    Random random = new Random(4);
    for (int parties : new int[] {31, 32, 33, 62, CompletionBarrier.MAX_PARTIES}) {
      CompletionBarrier b = new CompletionBarrier(parties);
      List<Integer> order = new ArrayList<>();
      for (int p = 0; p < parties; p++) {
        order.add(p);
      }
      java.util.Collections.shuffle(order, random);
      for (int k = 0; k < parties; k++) {
        int p = order.get(k);
        boolean last = k == parties - 1;
        assertEquals(last, b.arrive(p), "barrier of " + parties + " parties: expected arrive("
            + p + ") as arrival " + (k + 1) + " to return " + last + " (parties arrived in the"
            + " order " + order.subList(0, k + 1) + ")");
        assertTrue(b.hasArrived(p), "barrier of " + parties + " parties: expected hasArrived("
            + p + ") true after arrive(" + p + ")");
        assertEquals(k + 1, b.arrivedCount(), "barrier of " + parties + " parties: expected"
            + " arrivedCount() " + (k + 1) + " after " + (k + 1) + " arrivals");
        assertEquals(last, b.isComplete(), "barrier of " + parties + " parties: expected"
            + " isComplete() " + last + " after " + (k + 1) + " arrivals");
      }
      assertFalse(b.cancel(), "barrier of " + parties + " parties: expected cancel() false once"
          + " it completed");
    }
  }
}
