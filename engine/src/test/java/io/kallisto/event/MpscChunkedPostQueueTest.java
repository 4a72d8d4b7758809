package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MpscChunkedPostQueueTest {
  /** A task that knows its number, so the consumer can check order. */
  private static final class Numbered implements Runnable {
    final int n;

    Numbered(int n) {
      this.n = n;
    }

    @Override
    public void run() {}
  }

  @Test
  void emptyQueuePollsNull() {
    MpscChunkedPostQueue q = new MpscChunkedPostQueue();
    assertTrue(q.isEmpty());
    assertNull(q.poll());
  }

  @Test
  void burstsSpanningManyChunksComeOutInOrder() {
    MpscChunkedPostQueue q = new MpscChunkedPostQueue();
    Numbered[] tasks = new Numbered[10_000]; // about ten chunks outstanding at once
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Numbered(i);
      q.offer(tasks[i]);
    }
    assertFalse(q.isEmpty());
    for (Numbered t : tasks) {
      assertSame(t, q.poll());
    }
    assertTrue(q.isEmpty());
    assertNull(q.poll());
  }

  @Test
  void randomInterleavingOfOffersAndPollsMatchesAPlainFifo() {
    SplittableRandom random = new SplittableRandom(7);
    MpscChunkedPostQueue q = new MpscChunkedPostQueue();
    ArrayDeque<Runnable> reference = new ArrayDeque<>();
    int next = 0;
    for (int step = 0; step < 2_000; step++) {
      // Bursts up to three chunks long exercise round-robin reuse, linking and the spare chunk.
      int offers = random.nextInt(3_000);
      for (int i = 0; i < offers; i++) {
        Numbered t = new Numbered(next++);
        q.offer(t);
        reference.add(t);
      }
      int polls = random.nextInt(3_000);
      for (int i = 0; i < polls; i++) {
        assertSame(reference.poll(), q.poll());
      }
      assertEquals(reference.isEmpty(), q.isEmpty());
    }
  }

  @Test
  void concurrentProducersKeepTheirOwnOrderAndLoseNothing() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      int producers = 4;
      int each = 500_000;
      MpscChunkedPostQueue q = new MpscChunkedPostQueue();
      CountDownLatch start = new CountDownLatch(1);
      Thread[] threads = new Thread[producers];
      for (int p = 0; p < producers; p++) {
        int base = p * each;
        threads[p] = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < each; i++) {
            q.offer(new Numbered(base + i));
          }
        });
        threads[p].start();
      }
      start.countDown();
      int[] next = new int[producers];
      int received = 0;
      while (received < producers * each) {
        Runnable r = q.poll();
        if (r == null) {
          Thread.onSpinWait(); // the producers are still running; polling is the work here
          continue;
        }
        int n = ((Numbered) r).n;
        int producer = n / each;
        assertEquals(producer * each + next[producer], n, "producer " + producer + " out of order");
        next[producer]++;
        received++;
      }
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(q.isEmpty());
    });
  }

  @Test
  void shouldCountWhatIsQueuedAcrossChunksAsItIsOfferedAndPolled() {
    MpscChunkedPostQueue q = new MpscChunkedPostQueue();
    assertEquals(0, q.queuedItems());
    Runnable task = () -> { };
    for (int i = 1; i <= 3000; i++) { // about three chunks of 1024
      q.offer(task);
      assertEquals(i, q.queuedItems());
    }
    for (int i = 2999; i >= 0; i--) {
      assertSame(task, q.poll());
      assertEquals(i, q.queuedItems());
    }
    assertNull(q.poll());
    assertEquals(0, q.queuedItems());
  }
}
