package io.kallisto.threadlocal;

import io.kallisto.event.Backend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.event.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Thread-local slots on a real pool. JUnit runs each test body on a fresh thread under
 * assertTimeoutPreemptively, so each body creates its own instance: its creating thread is the
 * main thread.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ThreadLocalSlotTest {
  @Parameter Backend backend;

  private static final Duration LIMIT = Duration.ofSeconds(30);
  private WorkerPool pool;

  @BeforeEach
  void startPool() {
    pool = WorkerPool.create(2, backend.factory());
    pool.start();
  }

  @AfterEach
  void stopPool() {
    assertTimeoutPreemptively(LIMIT, pool::stop, "pool.stop() hung: a test left a worker blocked");
  }

  /** A registered instance: main dispatcher plus every worker. */
  private ThreadLocalInstance registered(Dispatcher main) {
    ThreadLocalInstance tls = ThreadLocalInstance.create();
    tls.registerThread(main, true);
    for (int i = 0; i < pool.size(); i++) {
      tls.registerThread(pool.worker(i).dispatcher(), false);
    }
    return tls;
  }

  /** Runs {@code read} on every worker and collects the answers by worker name. */
  private <T> Map<String, T> onEachWorker(java.util.function.Supplier<T> read) throws Exception {
    Map<String, T> answers = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      pool.worker(i).dispatcher().post(() -> {
        T value = read.get();
        if (value != null) {
          answers.put(Thread.currentThread().getName(), value);
        }
        done.countDown();
      });
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    return answers;
  }

  @Test
  @DisplayName("seed: 'TLS Instance should be created', 'Slot should be allocated', "
      + "'Should have 1 registered thread', 'TLS shutdown completed'")
  void seedLifecycleWithTheMainThreadAlone() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = ThreadLocalInstance.create();
        assertNotNull(tls);
        tls.registerThread(main, true);
        Slot<String> slot = tls.allocateSlot();
        assertNotNull(slot);
        assertEquals(0, slot.index());
        assertEquals(1, tls.registeredThreadCount());
        slot.set(d -> "value");
        assertEquals("value", slot.get());
        tls.shutdownGlobalThreading();
        tls.shutdownThread();
        assertNull(slot.get(), "shutdownThread destroyed the main thread's value");
      }
    });
  }

  @Test
  void registeredThreadCountIncludesTheMainThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        assertEquals(3, registered(main).registeredThreadCount());
      }
    });
  }

  @Test
  void setRunsInlineOnTheMainThreadAndByPostOnEachWorker() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = registered(main);
        Slot<String> slot = tls.allocateSlot();
        Thread mainThread = Thread.currentThread();
        List<String> builtOn = Collections.synchronizedList(new ArrayList<>());
        slot.set(d -> {
          builtOn.add(Thread.currentThread().getName());
          return "config@" + d.name();
        });
        // Inline on main: done by the time set() returns, on this very thread, before any post.
        assertEquals(mainThread.getName(), builtOn.get(0));
        assertEquals("config@main", slot.get());
        // By post on each worker: each builds its own value on its own thread.
        Map<String, String> seen = onEachWorker(slot::get);
        assertEquals(Map.of("worker-0", "config@worker-0", "worker-1", "config@worker-1"), seen);
        assertEquals(3, builtOn.size());
        assertTrue(builtOn.containsAll(List.of("worker-0", "worker-1")));
      }
    });
  }

  @Test
  void runOnAllThreadsRunsCompletionOnMainAfterEveryWorkerRanTheCallback() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = registered(main);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch releaseWorker1 = new CountDownLatch(1);
        // Hold worker-1 so that completion could only be early, never accidentally late.
        pool.worker(1).dispatcher().post(() -> {
          try {
            releaseWorker1.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        try {
          tls.runOnAllThreads(() -> order.add(Thread.currentThread().getName()), () -> {
            order.add("completion on " + Thread.currentThread().getName());
            main.exit();
          });
          assertEquals(Thread.currentThread().getName(), order.get(0), "inline on main first");
          main.run(RunType.NON_BLOCK);
          List<String> soFar;
          synchronized (order) { // worker-0 may still be adding
            soFar = new ArrayList<>(order);
          }
          assertTrue(soFar.stream().noneMatch(s -> s.startsWith("completion")),
              "completion must wait for worker-1, which is held: " + soFar);
        } finally {
          releaseWorker1.countDown();
        }
        main.run(RunType.RUN_UNTIL_EXIT);
        // Expected: main, then both workers in either order, then completion on main.
        assertEquals(4, order.size());
        assertTrue(order.subList(1, 3).containsAll(List.of("worker-0", "worker-1")), order.toString());
        assertEquals("completion on " + Thread.currentThread().getName(), order.get(3));
      }
    });
  }

  @Test
  void slotRunOnAllThreadsHandsEachThreadItsOwnValue() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = registered(main);
        Slot<AtomicInteger> counters = tls.allocateSlot();
        counters.set(d -> new AtomicInteger());
        Map<String, Integer> afterwards = new ConcurrentHashMap<>();
        for (int round = 0; round < 3; round++) {
          counters.runOnAllThreads(AtomicInteger::incrementAndGet, main::exit);
          main.run(RunType.RUN_UNTIL_EXIT);
        }
        afterwards.putAll(onEachWorker(() -> counters.get().get()));
        assertEquals(3, counters.get().get(), "main's own counter");
        assertEquals(Map.of("worker-0", 3, "worker-1", 3), afterwards);
      }
    });
  }

  @Test
  void freedSlotsPendingCallbacksNeverRunAndItsIndexIsReused() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = registered(main);
        Slot<String> first = tls.allocateSlot();
        Slot<String> second = tls.allocateSlot();
        assertEquals(0, first.index());
        assertEquals(1, second.index());
        CountDownLatch release = new CountDownLatch(2);
        for (int i = 0; i < pool.size(); i++) {
          pool.worker(i).dispatcher().post(() -> {
            try {
              release.await(); // keep the set() below queued until the slot is closed
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
        }
        AtomicInteger workerCalls = new AtomicInteger();
        first.set(d -> {
          if (d != main) {
            workerCalls.incrementAndGet();
          }
          return "old";
        });
        first.runOnAllThreads(v -> workerCalls.incrementAndGet(), () -> workerCalls.addAndGet(100));
        first.close();
        Slot<String> reused = tls.allocateSlot();
        assertEquals(0, reused.index(), "the freed index is reused");
        reused.set(d -> "new");
        release.countDown();
        release.countDown();
        Map<String, String> seen = onEachWorker(reused::get);
        assertEquals(Map.of("worker-0", "new", "worker-1", "new"), seen);
        main.run(RunType.NON_BLOCK);
        // One call: runOnAllThreads ran inline on main before the close.
        assertEquals(1, workerCalls.get(), "no worker ran the freed slot's callbacks");
        assertThrows(IllegalStateException.class, first::get);
      }
    });
  }

  @Test
  void shutdownThreadDestroysSlotsInReverseOrder() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = registered(main);
        List<String> destroyed = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
          Slot<AutoCloseable> slot = tls.allocateSlot();
          int n = i;
          slot.set(d -> () -> destroyed.add(d.name() + ":" + n));
        }
        tls.shutdownGlobalThreading();
        CompletableFuture<Void> workerDone = new CompletableFuture<>();
        pool.worker(0).dispatcher().post(() -> {
          tls.shutdownThread();
          workerDone.complete(null);
        });
        workerDone.get(10, TimeUnit.SECONDS);
        tls.shutdownThread();
        // Expected: worker-0 destroys 2, 1, 0; then main destroys 2, 1, 0.
        assertEquals(List.of("worker-0:2", "worker-0:1", "worker-0:0", "main:2", "main:1", "main:0"),
            destroyed);
      }
    });
  }

  @Test
  void mainOnlyMethodsAreRejectedOnAWorker() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = registered(main);
        Slot<String> slot = tls.allocateSlot();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        pool.worker(0).dispatcher().post(() -> {
          try {
            slot.set(d -> "x");
            thrown.complete(null);
          } catch (Throwable t) {
            thrown.complete(t);
          }
        });
        Throwable t = thrown.get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, String.valueOf(t));
        assertTrue(t.getMessage().contains("must be called on the main thread"), t.getMessage());
      }
    });
  }

  @Test
  void getOnAnUnregisteredThreadIsRejected() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = ThreadLocalInstance.create();
        tls.registerThread(main, true);
        Slot<String> slot = tls.allocateSlot();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread stranger = new Thread(() -> {
          try {
            slot.get();
            thrown.complete(null);
          } catch (Throwable e) {
            thrown.complete(e);
          }
        }, "stranger");
        stranger.start();
        Throwable e = thrown.get(10, TimeUnit.SECONDS);
        assertTrue(e instanceof IllegalStateException, String.valueOf(e));
        assertTrue(e.getMessage().contains("'stranger'"), e.getMessage());
      }
    });
  }

  @Test
  void setAfterShutdownGlobalThreadingIsRejected() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Dispatcher main = backend.create("main")) {
        ThreadLocalInstance tls = registered(main);
        Slot<String> slot = tls.allocateSlot();
        tls.shutdownGlobalThreading();
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> slot.set(d -> "late"));
        assertTrue(e.getMessage().contains("shutdownGlobalThreading"), e.getMessage());
      }
    });
  }

  @Test
  void registeringTheSameDispatcherTwiceIsRejected() {
    try (Dispatcher main = backend.create("main")) {
      ThreadLocalInstance tls = ThreadLocalInstance.create();
      tls.registerThread(main, true);
      assertThrows(IllegalStateException.class, () -> tls.registerThread(main, false));
    }
  }
}
