package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The loop's hot path must not allocate. Measures bytes allocated by the loop thread
 * (HotSpot's per-thread counter), not time, so the result does not depend on machine load.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class LoopAllocationTest {
  @Parameter Backend backend;

  @org.junit.jupiter.api.BeforeEach
  void backendApplies() {
    assumeTrue(backend.realTime(), "the simulator allocates an event record per scheduled"
        + " event (its speed is measured by SimulationBenchmark); this is the real loops' rule");
  }

  private static final int WARMUP_ITERATIONS = 50_000;
  private static final int MEASURED_ITERATIONS = 10_000;

  @Test
  void warmLoopAllocatesLessThanOneKibPerThousandIterationsOfPostsAndTimers() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
        "this JVM cannot count allocated bytes per thread");
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (LoopThread loop = new LoopThread(backend.create("alloc"))) {
        Dispatcher d = loop.dispatcher;
        CompletableFuture<Long> allocated = new CompletableFuture<>();
        loop.call(() -> {
          new Driver(d, threads, allocated).start();
          return null;
        });
        long bytes = allocated.get();
        long perThousand = bytes * 1000 / MEASURED_ITERATIONS;
        assertTrue(perThousand < 1024, "the loop allocated " + bytes + " bytes in "
            + MEASURED_ITERATIONS + " iterations (" + perThousand + " per 1,000)");
      }
    });
  }

  /**
   * Each iteration runs one timer callback, which re-arms itself with a zero delay and posts a
   * callback to the loop; so every iteration polls, fires a timer and runs a post.
   */
  private static final class Driver {
    private final Dispatcher d;
    private final com.sun.management.ThreadMXBean threads;
    private final CompletableFuture<Long> allocated;
    private final Timer timer;
    private final Runnable post = this::onPost;
    private int ticks;
    private long startBytes;

    Driver(Dispatcher d, com.sun.management.ThreadMXBean threads,
        CompletableFuture<Long> allocated) {
      this.d = d;
      this.threads = threads;
      this.allocated = allocated;
      this.timer = d.createTimer(this::onTimer);
    }

    void start() {
      timer.enable(Duration.ZERO);
    }

    private void onTimer() {
      ticks++;
      if (ticks == WARMUP_ITERATIONS) {
        startBytes = threads.getCurrentThreadAllocatedBytes();
      } else if (ticks == WARMUP_ITERATIONS + MEASURED_ITERATIONS) {
        allocated.complete(threads.getCurrentThreadAllocatedBytes() - startBytes);
        return;
      }
      d.post(post);
      timer.enable(Duration.ZERO);
    }

    private void onPost() {
      // nothing: the point is the queue round trip
    }
  }
}
