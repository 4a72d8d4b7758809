package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The round-robin choice and the bookkeeping that the threaded and simulated pools share. */
class RoundRobinWorkersTest {
  @Test
  void nextGoesThroughTheWorkersInIndexOrderAndStartsAgain() {
    List<Counted> three = workers(3);
    RoundRobinWorkers<Counted> pool = new RoundRobinWorkers<>(three);
    for (int i = 0; i < 7; i++) {
      assertSame(three.get(i % 3), pool.next(), "pick " + i);
    }
  }

  @Test
  void callersOnSeveralThreadsShareOneTurnSoEachWorkerGetsItsShareExactly() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      int threads = 4;
      int perThread = 30_000;
      List<Counted> five = workers(5);
      RoundRobinWorkers<Counted> pool = new RoundRobinWorkers<>(five);
      AtomicIntegerArray picked = new AtomicIntegerArray(5);
      CyclicBarrier go = new CyclicBarrier(threads);
      List<Thread> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread th = new Thread(() -> {
          try {
            go.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          for (int i = 0; i < perThread; i++) {
            picked.incrementAndGet(pool.next().index);
          }
        });
        th.start();
        started.add(th);
      }
      for (Thread th : started) {
        th.join();
      }
      int[] counts = new int[5];
      for (int i = 0; i < 5; i++) {
        counts[i] = picked.get(i);
      }
      assertArrayEquals(new int[] {24_000, 24_000, 24_000, 24_000, 24_000}, counts);
    });
  }

  @Test
  void totalRequestsSumsEveryWorkersCount() {
    List<Counted> three = workers(3);
    three.get(0).requests = 4;
    three.get(2).requests = 5;
    assertEquals(9, new RoundRobinWorkers<>(three).totalRequests());
  }

  @Test
  void aWorkerOutsideThePoolIsRefusedNamingTheIndexAndTheSize() {
    RoundRobinWorkers<Counted> pool = new RoundRobinWorkers<>(workers(2));
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> pool.get(2));
    assertEquals("worker index=2, pool size=2", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> pool.get(-1));
  }

  @Test
  void aPoolOfNoWorkersIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RoundRobinWorkers<>(List.of()));
  }

  private static List<Counted> workers(int n) {
    List<Counted> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new Counted(i));
    }
    return list;
  }

  /** A worker that is only picked and counted here, never started. */
  private static final class Counted implements Worker {
    final int index;
    long requests;

    Counted(int index) {
      this.index = index;
    }

    @Override
    public String name() {
      return "worker-" + index;
    }

    @Override
    public long requestCount() {
      return requests;
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
      throw new UnsupportedOperationException();
    }

    @Override
    public void stop() {
      throw new UnsupportedOperationException();
    }
  }
}
