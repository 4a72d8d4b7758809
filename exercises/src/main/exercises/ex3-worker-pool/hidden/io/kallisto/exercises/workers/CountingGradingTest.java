package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.Points;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests: counts that many threads update at once must be exact. Several threads
 * offer (or dispatch) as fast as they can to busy workers, 20 times; the feedback gives the
 * failure rate and the first failure, and a test stops at its third failing run.
 *
 * <p>Not traced, unlike the other classes: a lost update leaves nothing to see in a trace, and
 * a trace of these two million posts would take hundreds of megabytes.
 */
class CountingGradingTest {
  private static final Duration READY = Duration.ofSeconds(10);
  private static final int MAX_FAILURES = 3;

  @Test
  @Points(5)
  void concurrentProducersAreCountedExactlyFailuresIncluded() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      int runsWanted = 20;
      int failed = 0;
      int runs = 0;
      String first = null;
      while (runs < runsWanted && failed < MAX_FAILURES) {
        runs++;
        String problem = oneCountingRun(b);
        if (problem != null) {
          failed++;
          first = first == null ? problem : first;
        }
      }
      assertEquals(0, failed, "expected 4 threads x 25000 offers to a busy worker counted"
          + " exactly (accepted, completed, failed) in all " + runsWanted + " runs; failed in "
          + failed + " of " + runs + " runs; first: " + first);
    }, "expected 20 counting runs within 40 s");
  }

  /**
   * Returns null, or what went wrong. The worker is busy (held in a request) while the producers
   * offer, as a loaded worker is: offers then only queue, and they overlap as much as they can.
   */
  private static String oneCountingRun(Backend b) throws Exception {
    int producers = 4;
    int perProducer = 25_000;
    Blocker busy = new Blocker();
    RecordingErrors errors = new RecordingErrors();
    LoopWorker w = new LoopWorker("worker-count", b.factory(), errors);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicIntegerArray runs = new AtomicIntegerArray(producers * perProducer);
    try {
      w.start();
      if (!w.awaitReady(READY)) {
        return "the worker was not ready within 10 s";
      }
      if (!w.offer(busy)) {
        return "the first offer to a RUNNING worker was refused";
      }
      CyclicBarrier go = new CyclicBarrier(producers);
      List<Thread> threads = new ArrayList<>();
      int[] refused = new int[producers];
      RuntimeException boom = new IllegalStateException("every 10th request throws");
      for (int p = 0; p < producers; p++) {
        int producer = p;
        Thread t = new Thread(() -> {
          try {
            go.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < perProducer; i++) {
              int item = producer * perProducer + i;
              boolean throwing = i % 10 == 0;
              if (!w.offer(() -> {
                runs.incrementAndGet(item);
                if (throwing) {
                  throw boom;
                }
              })) {
                refused[producer]++;
              }
            }
          } catch (Throwable e) {
            thrown.compareAndSet(null, e);
          }
        }, "producer-" + p);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(20_000);
      }
      busy.release();
      if (thrown.get() != null) {
        return "an offer() threw " + thrown.get();
      }
      for (int p = 0; p < producers; p++) {
        if (refused[p] != 0) {
          return "producer-" + p + " had " + refused[p] + " offers refused by a RUNNING"
              + " worker";
        }
      }
      RequestCounts counts = w.stop();
      long total = (long) producers * perProducer;
      long failing = total / 10;
      RequestCounts expected = new RequestCounts(total + 1, total + 1 - failing, failing, 0);
      if (!counts.equals(expected)) {
        return "stop() reported " + counts + ", expected " + expected
            + (counts.accepted() < total + 1 ? " (lost updates to the accepted count?)" : "");
      }
      for (int i = 0; i < total; i++) {
        if (runs.get(i) != 1) {
          return "request " + i + " ran " + runs.get(i) + " times; expected once";
        }
      }
      if (errors.reports().size() != failing) {
        return "the error handler was called " + errors.reports().size() + " times; expected "
            + failing;
      }
      return null;
    } finally {
      busy.release();
      Waits.stopQuietly(w);
    }
  }

  @Test
  @Points(4)
  void concurrentDispatchesAreDealtExactlyEvenly() {
    Backend b = Backend.best();
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      int runsWanted = 20;
      int failed = 0;
      int runs = 0;
      String first = null;
      while (runs < runsWanted && failed < 3) {
        runs++;
        String problem = oneDealingRun(b);
        if (problem != null) {
          failed++;
          first = first == null ? problem : first;
        }
      }
      assertEquals(0, failed, "expected 4 threads x 30000 dispatches to give each of 3 busy"
          + " workers exactly 40000 (one atomic ticket per dispatch) in all " + runsWanted
          + " runs; failed in " + failed + " of " + runs + " runs; first: " + first);
    });
  }

  /**
   * Returns null, or what went wrong. Each worker is busy (held in a request) while the threads
   * dispatch, so that dispatches only queue and overlap as much as they can.
   */
  private static String oneDealingRun(Backend b) throws Exception {
    int size = 3;
    int threads = 4;
    int perThread = 30_000;
    RoundRobinPool pool = new RoundRobinPool(size, b.factory(), new RecordingErrors());
    List<Blocker> busy = new ArrayList<>();
    try {
      pool.start();
      for (int i = 0; i < size; i++) {
        Blocker blocker = new Blocker();
        busy.add(blocker);
        if (!pool.dispatch(blocker)) {
          return "a dispatch to a started pool was refused";
        }
      }
      CyclicBarrier go = new CyclicBarrier(threads);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      List<Thread> dispatchers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread thread = new Thread(() -> {
          try {
            go.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
              pool.dispatch(() -> { });
            }
          } catch (Throwable e) {
            thrown.compareAndSet(null, e);
          }
        }, "dispatcher-" + t);
        thread.setDaemon(true);
        dispatchers.add(thread);
        thread.start();
      }
      for (Thread t : dispatchers) {
        t.join(20_000);
      }
      busy.forEach(Blocker::release);
      if (thrown.get() != null) {
        return "dispatch() threw " + thrown.get();
      }
      RequestCounts total = pool.stop();
      StringBuilder per = new StringBuilder();
      boolean even = true;
      for (int i = 0; i < size; i++) {
        RequestCounts c = pool.worker(i).counts();
        per.append(i == 0 ? "" : ", ").append("worker-").append(i).append(": ")
            .append(c.accepted());
        even &= c.accepted() == (long) threads * perThread / size + 1;
      }
      if (!even) {
        return "accepted per worker: " + per + "; expected " + ((long) threads * perThread
            / size + 1) + " each (" + (long) threads * perThread / size + " and the busy"
            + " request)";
      }
      long all = (long) threads * perThread + size;
      if (total.accepted() != all || total.completed() != all) {
        return "the pool's stop() reported " + total + "; expected " + all
            + " accepted and completed";
      }
      return null;
    } finally {
      busy.forEach(Blocker::release);
      Waits.stopQuietly(pool);
    }
  }
}
