package io.kallisto.exercises.postqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.HeapTimerQueue;
import io.kallisto.event.RunType;
import io.kallisto.event.nio.NioDispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hidden grading tests for LinkedPostQueue: real threads, safety properties, N runs. */
@ExtendWith(TraceOnFailure.class)
class PostQueueGradingTest {
  private static final int RUNS = 40;
  private static final int PRODUCERS = 3;
  private static final int PER_PRODUCER = 20_000;

  @Test
  @Points(10)
  void concurrentProducersLoseNothingAndRunNothingTwice() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      int failed = 0;
      int runs = 0;
      String first = null;
      while (runs < RUNS && failed < 3) { // three failures are proof enough
        runs++;
        String problem = oneStressRun();
        if (problem != null) {
          failed++;
          first = first == null ? problem : first;
        }
      }
      assertEquals(0, failed, "expected every task polled exactly once, in each producer's"
          + " order, in all " + RUNS + " runs; failed in " + failed + " of " + runs
          + " runs; first: " + first);
    });
  }

  /** Returns null, or what went wrong. */
  private static String oneStressRun() throws Exception {
    LinkedPostQueue q = new LinkedPostQueue();
    CyclicBarrier start = new CyclicBarrier(PRODUCERS + 1);
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    AtomicInteger producersDone = new AtomicInteger();
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < PER_PRODUCER; i++) {
            q.offer(new Item(producer, i));
          }
        } catch (Throwable e) {
          producerFailure.compareAndSet(null, e);
        } finally {
          producersDone.incrementAndGet();
        }
      });
      t.setDaemon(true);
      t.start();
      producers.add(t);
    }
    int[] next = new int[PRODUCERS];
    int total = PRODUCERS * PER_PRODUCER;
    int seen = 0;
    start.await();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (seen < total && System.nanoTime() < giveUp) {
        Runnable r = q.poll();
        if (r == null) {
          // Every offer has returned: a null poll now means the queue is empty.
          boolean allOffered = producersDone.get() == PRODUCERS;
          if (producerFailure.get() != null || allOffered && (r = q.poll()) == null) {
            break;
          }
        }
        if (r == null) {
          Thread.onSpinWait();
          continue;
        }
        Item item = (Item) r;
        if (item.index != next[item.producer]) {
          return "producer " + item.producer + ": expected item " + next[item.producer]
              + " next but polled item " + item.index;
        }
        next[item.producer]++;
        seen++;
      }
    } catch (RuntimeException e) {
      return "the consumer's poll() threw " + e;
    }
    for (Thread t : producers) {
      t.join(5_000);
    }
    if (producerFailure.get() != null) {
      return "a producer's offer() threw " + producerFailure.get();
    }
    if (seen < total) {
      return "polled " + seen + " of " + total + " tasks; the rest were lost";
    }
    if (q.poll() != null || !q.isEmpty()) {
      return "expected the queue empty after polling every task, but it still had items";
    }
    return null;
  }

  private record Item(int producer, int index) implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  @Points(1)
  void offerReturnsMinusOneOrTheTasksSequenceNumber() {
    LinkedPostQueue q = new LinkedPostQueue();
    long[] got = new long[3];
    for (int i = 0; i < got.length; i++) {
      got[i] = q.offer(new Item(0, i));
    }
    boolean unnumbered = got[0] == -1 && got[1] == -1 && got[2] == -1;
    boolean numbered = got[0] == 0 && got[1] == 1 && got[2] == 2;
    assertTrue(unnumbered || numbered, "expected offer() to return -1 (the queue does not number"
        + " its tasks) or each task's sequence number 0, 1, 2 (PostQueue's contract: traces join"
        + " a post to its run by it), but three offers returned " + java.util.Arrays.toString(got));
  }

  @Test
  @Points(5)
  void theEnginesNioDispatcherRunsPostsThroughThisQueueInOrder() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      NioDispatcher d = NioDispatcher.create("ex1", new LinkedPostQueue(),
          new HeapTimerQueue());
      Thread loop = new Thread(() -> d.run(RunType.RUN_UNTIL_EXIT), "ex1-loop");
      loop.start();
      try {
        int n = 10_000;
        int[] last = {-1, -1};
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2 * n);
        List<Thread> posters = new ArrayList<>();
        AtomicReference<Throwable> posterFailure = new AtomicReference<>();
        for (int p = 0; p < 2; p++) {
          int poster = p;
          Thread t = new Thread(() -> {
            try {
              postAll(d, n, poster, loop, last, outOfOrder, offLoop, done);
            } catch (Throwable e) {
              posterFailure.compareAndSet(null, e);
            }
          });
          t.start();
          posters.add(t);
        }
        // Gives up once nothing has run for 3 s: a correct loop never stalls that long.
        MiniLoop.awaitWhileProgressing(done, 3_000, 15_000);
        assertEquals(null, posterFailure.get(), "expected post() never to throw");
        assertTrue(done.getCount() == 0, "expected all " + 2 * n + " posts to run on the"
            + " engine's loop; " + done.getCount() + " never ran (no progress for 3 s)");
        assertEquals(0, offLoop.get(), "expected every post to run on the loop thread");
        assertEquals(0, outOfOrder.get(), "expected each poster's posts to run in order");
        for (Thread t : posters) {
          t.join();
        }
      } finally {
        d.exit();
        loop.join(10_000);
      }
    });
  }

  private static void postAll(NioDispatcher d, int n, int poster, Thread loop, int[] last,
      AtomicInteger outOfOrder, AtomicInteger offLoop, CountDownLatch done) {
    for (int i = 0; i < n; i++) {
      int index = i;
      d.post(() -> {
        if (Thread.currentThread() != loop) {
          offLoop.incrementAndGet();
        }
        if (last[poster] != index - 1) {
          outOfOrder.incrementAndGet();
        }
        last[poster] = index;
        done.countDown();
      });
    }
  }
}
