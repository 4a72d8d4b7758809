package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Worker#requestCount()} never lags a request that has already run: the worker counts a
 * request before it queues it. To make the race certain rather than likely, the worker's
 * dispatcher is a real one behind a wrapper whose {@code post} returns only once the posted
 * request has run, so a worker that counted after posting would let the request see itself
 * uncounted, every time.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class WorkerRequestCountTest {
  @Parameter Backend backend;

  private static final Duration LIMIT = Duration.ofSeconds(20);

  @Test
  void requestCountIncludesARequestWhileItRuns() {
    assertTimeoutPreemptively(LIMIT, () -> {
      PostReturnsAfterRun[] dispatcher = new PostReturnsAfterRun[1];
      WorkerPool pool = WorkerPool.create(1, name -> {
        dispatcher[0] = new PostReturnsAfterRun(backend.create(name));
        return dispatcher[0];
      });
      pool.start();
      Worker w = pool.worker(0);
      AtomicLong seen = new AtomicLong(-1);
      CountDownLatch ran = new CountDownLatch(1);
      dispatcher[0].holdPostsUntil = ran;
      w.post(() -> {
        seen.set(w.requestCount());
        ran.countDown();
      });
      assertEquals(1, seen.get(), "the running request was already counted");
      dispatcher[0].holdPostsUntil = null;
      pool.stop();
    });
  }

  @Test
  void aRequestRefusedByAStoppedWorkerIsNotCounted() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WorkerPool pool = WorkerPool.create(1, backend.factory());
      pool.start();
      Worker w = pool.worker(0);
      CountDownLatch ran = new CountDownLatch(1);
      w.post(ran::countDown);
      ran.await();
      pool.stop();
      assertThrows(IllegalStateException.class, () -> w.post(() -> { }));
      assertEquals(1, w.requestCount());
    });
  }

  /**
   * A real dispatcher whose {@code post}, while {@link #holdPostsUntil} is set, returns only once
   * that latch opens: the posting thread stands still just after the enqueue.
   */
  private static final class PostReturnsAfterRun implements Dispatcher {
    private final Dispatcher real;
    volatile CountDownLatch holdPostsUntil;

    PostReturnsAfterRun(Dispatcher real) {
      this.real = real;
    }

    @Override
    public void post(Runnable callback) {
      real.post(callback);
      CountDownLatch hold = holdPostsUntil;
      if (hold != null) {
        Uninterruptibly.await(hold);
      }
    }

    @Override
    public String name() {
      return real.name();
    }

    @Override
    public Timer createTimer(Runnable callback) {
      return real.createTimer(callback);
    }

    @Override
    public FileEvent createFileEvent(int fd, FileReadyCallback callback, FileTriggerType trigger,
        int events) {
      return real.createFileEvent(fd, callback, trigger, events);
    }

    @Override
    public void run(RunType type) {
      real.run(type);
    }

    @Override
    public void exit() {
      real.exit();
    }

    @Override
    public boolean isThreadSafe() {
      return real.isThreadSafe();
    }

    @Override
    public long now() {
      return real.now();
    }

    @Override
    public boolean hasPendingPosts() {
      return real.hasPendingPosts();
    }

    @Override
    public DispatcherStats stats() {
      return real.stats();
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
