package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class WorkerPoolTest {
  @Parameter Backend backend;

  private static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  @DisplayName("seed: 'WorkerPool should be created' and 'Pool should have 2 workers'")
  void poolHasTheRequestedNumberOfNamedWorkers() {
    WorkerPool pool = WorkerPool.create(2, backend.factory());
    assertNotNull(pool);
    assertEquals(2, pool.size());
    assertEquals("worker-0", pool.worker(0).name());
    assertEquals("worker-1", pool.worker(1).dispatcher().name());
    pool.stop(); // never started: closes the dispatchers
  }

  @Test
  void poolOfZeroWorkersMeansOnePerAvailableCore() {
    WorkerPool pool = WorkerPool.create(0, backend.factory());
    assertEquals(Runtime.getRuntime().availableProcessors(), pool.size());
    pool.stop();
  }

  @Test
  @DisplayName("seed: 'All workers should be ready after start()'")
  void startReturnsOnlyWhenEveryLoopIsRunning() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WorkerPool pool = WorkerPool.create(2, backend.factory());
      pool.start();
      for (int i = 0; i < pool.size(); i++) {
        // A worker's loop is running: its dispatcher refuses loop-only calls from this thread.
        assertFalse(pool.worker(i).dispatcher().isThreadSafe());
        // The ready signal is itself a post: the loop has started running posts.
        assertTrue(pool.worker(i).dispatcher().stats().postsRun() >= 1);
      }
      pool.stop();
    });
  }

  @Test
  @DisplayName("seed: 'Each worker should have processed work' and 'Total requests should be 2'")
  void dispatchRoundRobinGivesEachWorkerWorkAndCountsRequests() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WorkerPool pool = WorkerPool.create(2, backend.factory());
      pool.start();
      Set<String> threads = ConcurrentHashMap.newKeySet();
      CountDownLatch done = new CountDownLatch(2);
      for (int i = 0; i < 2; i++) {
        pool.dispatch(() -> {
          threads.add(Thread.currentThread().getName());
          done.countDown();
        });
      }
      done.await();
      assertEquals(Set.of("worker-0", "worker-1"), threads);
      assertEquals(1, pool.worker(0).requestCount());
      assertEquals(1, pool.worker(1).requestCount());
      assertEquals(2, pool.totalRequests());
      pool.stop();
    });
  }

  @Test
  void internalPostsAreNotCountedAsRequests() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WorkerPool pool = WorkerPool.create(1, backend.factory());
      pool.start();
      CountDownLatch ran = new CountDownLatch(1);
      pool.worker(0).dispatcher().post(ran::countDown); // the dispatcher directly: not a request
      ran.await();
      assertEquals(0, pool.totalRequests());
      pool.stop();
    });
  }

  @Test
  @DisplayName("seed: 'Workers stopped gracefully'")
  void stopRunsEverythingAlreadyPostedThenJoins() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WorkerPool pool = WorkerPool.create(2, backend.factory());
      pool.start();
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 100_000; i++) {
        pool.dispatch(ran::incrementAndGet);
      }
      pool.stop();
      assertEquals(100_000, ran.get(), "graceful stop drains the queues");
      assertEquals(100_000, pool.totalRequests());
      for (int i = 0; i < pool.size(); i++) {
        Worker w = pool.worker(i);
        assertThrows(IllegalStateException.class, () -> w.post(() -> { }),
            "a stopped worker's dispatcher is closed");
      }
    });
  }

  @Test
  void workerDrainsPostsMadeAfterItsLoopWasToldToExit() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Worker w = Worker.create("chain", backend.factory());
      w.start();
      w.awaitReady();
      AtomicInteger ran = new AtomicInteger();
      Dispatcher d = w.dispatcher();
      w.post(() -> {
        d.exit(); // the loop ends after this iteration...
        // ...but these land after the exit, two batches deep, and must still run.
        d.post(() -> {
          ran.incrementAndGet();
          d.post(ran::incrementAndGet);
        });
      });
      w.stop();
      assertEquals(2, ran.get());
    });
  }

  @Test
  void stopOnTheWorkersOwnThreadIsRejected() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Worker w = Worker.create("self-stop", backend.factory());
      w.start();
      w.awaitReady();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      w.post(() -> {
        try {
          w.stop();
        } catch (Throwable t) {
          thrown.set(t);
        }
        done.countDown();
      });
      done.await();
      assertTrue(thrown.get() instanceof IllegalStateException);
      assertTrue(thrown.get().getMessage().contains("would wait for itself"));
      w.stop();
    });
  }

  @Test
  void workerCannotBeStartedTwice() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Worker w = Worker.create("twice", backend.factory());
      w.start();
      assertThrows(IllegalStateException.class, w::start);
      w.stop();
      assertThrows(IllegalStateException.class, w::start);
    });
  }

  @Test
  void requestsRunOnTheWorkersOwnThreadAndEachWorkerHasItsOwnLoop() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WorkerPool pool = WorkerPool.create(3, backend.factory());
      pool.start();
      assertNotSame(pool.worker(0).dispatcher(), pool.worker(1).dispatcher());
      for (int i = 0; i < pool.size(); i++) {
        Worker w = pool.worker(i);
        AtomicReference<String> name = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        w.post(() -> {
          name.set(Thread.currentThread().getName());
          done.countDown();
        });
        done.await();
        assertEquals(w.name(), name.get());
      }
      pool.stop();
    });
  }

  @Test
  void concurrentDispatchFromManyThreadsCountsEveryRequest() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WorkerPool pool = WorkerPool.create(2, backend.factory());
      pool.start();
      AtomicInteger ran = new AtomicInteger();
      Thread[] producers = new Thread[4];
      for (int p = 0; p < producers.length; p++) {
        producers[p] = new Thread(() -> {
          for (int i = 0; i < 50_000; i++) {
            pool.dispatch(ran::incrementAndGet);
          }
        });
        producers[p].start();
      }
      for (Thread t : producers) {
        t.join();
      }
      pool.stop();
      assertEquals(200_000, ran.get());
      assertEquals(200_000, pool.totalRequests());
      assertEquals(100_000, pool.worker(0).requestCount(), "round robin is exact");
    });
  }
}
