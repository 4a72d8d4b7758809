package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** Many producers, one loop: nothing lost, nothing run twice, per-producer order kept. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class PostStressTest {
  @Parameter Backend backend;

  private static final int PRODUCERS = 8;
  private static final int POSTS_EACH = 1_000_000;

  @Test
  void eightProducersPostingAMillionEachLoseNothingAndRunNothingTwice() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      try (LoopThread loop = new LoopThread(backend.create("stress"))) {
        Dispatcher d = loop.dispatcher;
        // Touched only on the loop thread: next expected sequence number per producer.
        int[] next = new int[PRODUCERS];
        long[] violations = {0};
        long[] ran = {0};
        CyclicBarrier start = new CyclicBarrier(PRODUCERS);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
          int producer = p;
          Thread t = new Thread(() -> {
            try {
              start.await();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            for (int seq = 0; seq < POSTS_EACH; seq++) {
              int s = seq;
              d.post(() -> {
                // A lost post leaves a gap, a duplicate repeats, a reorder goes backwards.
                if (next[producer] != s) {
                  violations[0]++;
                }
                next[producer] = s + 1;
                ran[0]++;
              });
            }
          }, "producer-" + p);
          producers.add(t);
          t.start();
        }
        for (Thread t : producers) {
          t.join();
        }
        CountDownLatch drained = new CountDownLatch(1);
        d.post(drained::countDown);
        drained.await();
        long[] result = loop.call(() -> new long[] {violations[0], ran[0]});
        assertEquals(0, result[0], "posts lost, duplicated or reordered");
        assertEquals((long) PRODUCERS * POSTS_EACH, result[1]);
        for (int p = 0; p < PRODUCERS; p++) {
          int producer = p;
          assertEquals(POSTS_EACH, (int) loop.call(() -> next[producer]));
        }
      }
    });
  }
}
