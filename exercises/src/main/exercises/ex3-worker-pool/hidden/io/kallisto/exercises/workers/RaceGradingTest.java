package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: offers on three threads racing with stop(), 20 times per backend,
 * checking safety only: an accepted request runs exactly once, a rejected one never, and the
 * counts match what the offers returned. One post in eight from an offering thread is held for a
 * moment (see {@link InstrumentedFactory#jitter}), so the race is hit in most runs rather than
 * rarely. The feedback gives the failure rate and the first failure; the test stops at its third
 * failing run.
 */
@ExtendWith(TraceOnFailure.class)
class RaceGradingTest {
  private static final Duration READY = Duration.ofSeconds(10);
  private static final int MAX_FAILURES = 3;

  /** One offering thread's view: what each of its offers returned, and how often each ran. */
  private static final class Producer {
    final int id;
    final boolean[] accepted;
    final AtomicIntegerArray runs;
    int offered;
    volatile Throwable thrown;

    Producer(int id, int capacity) {
      this.id = id;
      this.accepted = new boolean[capacity];
      this.runs = new AtomicIntegerArray(capacity);
    }
  }

  @Test
  @Points(10)
  void offersRacingWithStopEitherRunExactlyOnceOrAreRejected() {
    int runsPerBackend = 20;
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
        int failed = 0;
        int runs = 0;
        String first = null;
        while (runs < runsPerBackend && failed < MAX_FAILURES) {
          runs++;
          String problem = oneRaceWithStop(b);
          if (problem != null) {
            failed++;
            first = first == null ? problem : first;
          }
        }
        assertEquals(0, failed, b + ": expected every offer racing with stop() either to run"
            + " exactly once (it returned true) or never (it returned false, and was counted"
            + " rejected), in all " + runsPerBackend + " runs; failed in " + failed + " of "
            + runs + " runs; first: " + first);
      }, b + ": expected " + runsPerBackend + " runs of offers racing with stop() within 40 s"
          + " (a stop() that never returns?)");
    }
  }

  /** Returns null, or what went wrong. */
  private static String oneRaceWithStop(Backend b) throws Exception {
    int producers = 3;
    int capacity = 50_000;
    // One post in 8 from an offering thread is held for a moment before it is queued, as if
    // the thread were preempted between deciding to accept and posting.
    LoopWorker w = new LoopWorker("worker-race", new InstrumentedFactory(b).jitter(8),
        new RecordingErrors());
    List<Producer> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try {
      w.start();
      if (!w.awaitReady(READY)) {
        return "the worker was not ready within 10 s";
      }
      CountDownLatch warmedUp = new CountDownLatch(producers);
      CyclicBarrier go = new CyclicBarrier(producers);
      for (int p = 0; p < producers; p++) {
        Producer producer = new Producer(p, capacity);
        all.add(producer);
        Thread t = new Thread(() -> produce(w, producer, go, warmedUp), "producer-" + p);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      if (!warmedUp.await(10, TimeUnit.SECONDS)) {
        return "the producers did not get 200 offers each accepted within 10 s";
      }
      RequestCounts atStop = w.stop();
      for (Thread t : threads) {
        t.join(10_000);
        if (t.isAlive()) {
          return t.getName() + " was still offering 10 s after stop() returned (offer()"
              + " blocks, or never rejects?)";
        }
      }
      return check(all, atStop, w.counts());
    } finally {
      Waits.stopQuietly(w);
    }
  }

  /** Offers until 20 offers have been rejected (or capacity is reached). */
  private static void produce(LifecycleWorker w, Producer p, CyclicBarrier go,
      CountDownLatch warmedUp) {
    boolean warm = false;
    try {
      go.await(10, TimeUnit.SECONDS);
      int rejections = 0;
      for (int i = 0; i < p.accepted.length && rejections < 20; i++) {
        int item = i;
        p.accepted[i] = w.offer(() -> p.runs.incrementAndGet(item));
        p.offered = i + 1;
        if (!p.accepted[i]) {
          rejections++;
        }
        if (i == 200) {
          warm = true;
          warmedUp.countDown();
        }
      }
    } catch (Throwable t) {
      p.thrown = t;
    } finally {
      if (!warm) {
        warmedUp.countDown(); // a producer that ended early must not hold the test up
      }
    }
  }

  private static String check(List<Producer> all, RequestCounts atStop, RequestCounts after) {
    long accepted = 0;
    long rejected = 0;
    for (Producer p : all) {
      if (p.thrown != null) {
        return "producer-" + p.id + "'s offer() threw " + p.thrown + " (expected true or"
            + " false, never an exception, once started)";
      }
      for (int i = 0; i < p.offered; i++) {
        int ran = p.runs.get(i);
        if (p.accepted[i]) {
          accepted++;
          if (ran != 1) {
            return "producer-" + p.id + "'s offer " + i + " returned true (accepted) but the"
                + " request ran " + ran + " times before stop() returned; expected once";
          }
        } else {
          rejected++;
          if (ran != 0) {
            return "producer-" + p.id + "'s offer " + i + " returned false (rejected) but the"
                + " request ran " + ran + " times; expected never";
          }
        }
      }
    }
    if (atStop.accepted() != accepted || atStop.completed() != accepted
        || atStop.failed() != 0) {
      return "stop() reported " + atStop + " but " + accepted + " offers returned true;"
          + " expected accepted == completed == " + accepted;
    }
    if (after.rejected() != rejected || after.accepted() != accepted) {
      return "after every producer finished, counts() was " + after + " but " + accepted
          + " offers returned true and " + rejected + " false";
    }
    return null;
  }
}
