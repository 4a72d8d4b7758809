package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop's queue depth is recorded whenever it changes, never held stale from the last batch:
 * on a real epoll loop held inside a callback, the test posts one task at a time, so the queue's
 * real depth at each post is known (the loop runs none of them while held), and the recorded
 * track must read exactly that at each of those instants, at a mark after the last post, and
 * 0 once the loop has run them all.
 */
class QueueDepthTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final int POSTS = 5;

  @TempDir Path dir;

  @Test
  void shouldRecordTheRealQueueDepthAtEveryPostAndAtBothEndsOfABatch() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = dir.resolve("depth.ktrace");
      Tracing.start(file, TraceOptions.defaults().scenario("queue depth test"));
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch ran = new CountDownLatch(POSTS);
      Dispatcher worker = Dispatchers.create("worker-0");
      Thread loop = new Thread(() -> worker.run(RunType.RUN_UNTIL_EXIT), "worker-0");
      try {
        loop.start();
        worker.post(() -> {
          held.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        held.await();
        for (int i = 0; i < POSTS; i++) {
          worker.post(ran::countDown); // the loop is held: i + 1 tasks wait after this one
        }
        Tracing.mark("all posted");
        release.countDown();
        ran.await();
        CountDownLatch idle = new CountDownLatch(1);
        worker.post(idle::countDown);
        idle.await();
        Tracing.mark("all ran");
        worker.exit();
        loop.join();
      } finally {
        worker.close();
        Tracing.stop();
      }

      TraceModel model = TraceModel.load(file);
      Lane w = model.lanes().stream().filter(l -> l.name().equals("worker-0")).findFirst()
          .orElseThrow();
      Lane poster = model.lanes().stream()
          .filter(l -> l.name().equals(Thread.currentThread().getName())).findFirst()
          .orElseThrow();
      Series depth = w.counters().get("queue depth");
      List<Long> postTimes = new ArrayList<>();
      for (int k = 0; k < poster.posts().size(); k++) {
        if (model.laneOfDispatcher(poster.posts().id(k)) == w.index()) {
          postTimes.add(poster.posts().time(k));
        }
      }
      assertEquals(POSTS + 2, postTimes.size(), "the held task, five tasks, the idle check");
      for (int i = 1; i <= POSTS; i++) {
        assertEquals(i, depth.valueAt(postTimes.get(i)), "after post " + i + " of " + POSTS);
      }
      Instants marks = poster.marks();
      assertEquals(2, marks.size());
      assertEquals(POSTS, depth.valueAt(marks.time(0)), "all posted, none run");
      assertEquals(0, depth.valueAt(marks.time(1)), "all ran");
      CursorState.LaneState at = CursorState.at(model, marks.time(0)).get(w.index());
      assertEquals(POSTS, at.queueDepth(), "what At cursor shows");
      assertTrue(depth.size() >= 2 * POSTS, "a sample per change: " + depth.size());
    });
  }
}
