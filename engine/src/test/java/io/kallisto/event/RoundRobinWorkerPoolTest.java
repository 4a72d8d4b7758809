package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The round-robin choice and the bookkeeping that the threaded and simulated pools share, over
 * workers that only count what they are given.
 */
class RoundRobinWorkerPoolTest {
  @Test
  void dispatchGoesThroughTheWorkersInIndexOrderAndStartsAgain() {
    List<Counted> three = workers(3);
    Pool pool = new Pool(three);
    for (int i = 0; i < 7; i++) {
      pool.dispatch(() -> { });
      assertSame(three.get(i % 3), pool.lastPosted, "dispatch " + i);
    }
  }

  @Test
  void callersOnSeveralThreadsShareOneTurnSoEachWorkerGetsItsShareExactly() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      int threads = 4;
      int perThread = 30_000;
      List<Counted> five = workers(5);
      Pool pool = new Pool(five);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> dispatchers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread th = new Thread(() -> {
          Uninterruptibly.await(go); // all start together, so that their turns interleave
          for (int i = 0; i < perThread; i++) {
            pool.dispatch(() -> { });
          }
        });
        th.start();
        dispatchers.add(th);
      }
      go.countDown();
      for (Thread th : dispatchers) {
        th.join();
      }
      int[] counts = new int[5];
      for (int i = 0; i < 5; i++) {
        counts[i] = (int) five.get(i).requestCount();
      }
      assertArrayEquals(new int[] {24_000, 24_000, 24_000, 24_000, 24_000}, counts);
    });
  }

  @Test
  void totalRequestsSumsEveryWorkersCount() {
    List<Counted> three = workers(3);
    three.get(0).requests.set(4);
    three.get(2).requests.set(5);
    assertEquals(9, new Pool(three).totalRequests());
  }

  @Test
  void aWorkerOutsideThePoolIsRefusedNamingTheIndexAndTheSize() {
    Pool pool = new Pool(workers(2));
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> pool.worker(2));
    assertEquals("worker index=2, pool size=2", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> pool.worker(-1));
  }

  @Test
  void aPoolOfNoWorkersIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Pool(List.of()));
  }

  private static List<Counted> workers(int n) {
    List<Counted> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new Counted(i));
    }
    return list;
  }

  /** The base class with a stop that does nothing: these workers never run. */
  private static final class Pool extends RoundRobinWorkerPool<Counted> {
    volatile Counted lastPosted;

    Pool(List<Counted> workers) {
      super(workers);
      for (Counted c : workers) {
        c.pool = this;
      }
    }

    @Override
    public void stop() {}
  }

  /** A worker that only counts the requests posted to it; never started. */
  private static final class Counted implements Worker {
    final int index;
    final AtomicLong requests = new AtomicLong();
    Pool pool;

    Counted(int index) {
      this.index = index;
    }

    @Override
    public String name() {
      return "worker-" + index;
    }

    @Override
    public long requestCount() {
      return requests.get();
    }

    @Override
    public void start() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void awaitReady() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Dispatcher dispatcher() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void post(Runnable request) {
      requests.incrementAndGet();
      pool.lastPosted = this;
    }

    @Override
    public void stop() {
      throw new UnsupportedOperationException();
    }
  }
}
