package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.event.epoll.EpollDispatcher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The post and timer queues are seams: other implementations plug into the same loop. These
 * plain ones (a lock and a deque; a sorted list) are what an exercise starts from.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class QueueSeamTest {
  @Parameter Backend backend;

  /** The simplest correct PostQueue: a deque behind a lock. */
  static final class LockedPostQueue implements PostQueue {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    int offers;

    @Override
    public synchronized long offer(Runnable task) {
      tasks.add(task);
      return offers++;
    }

    @Override
    public synchronized Runnable poll() {
      return tasks.poll();
    }

    @Override
    public synchronized boolean isEmpty() {
      return tasks.isEmpty();
    }
  }

  /** The simplest correct TimerQueue: a list kept sorted, O(n) per change. */
  static final class SortedListTimerQueue implements TimerQueue {
    private final List<TimerNode> nodes = new ArrayList<>();

    @Override
    public void add(TimerNode node) {
      int i = 0;
      while (i < nodes.size() && TimerNode.before(nodes.get(i), node)) {
        i++;
      }
      nodes.add(i, node);
      node.queueIndex(0);
    }

    @Override
    public void remove(TimerNode node) {
      nodes.remove(node);
      node.queueIndex(-1);
    }

    @Override
    public TimerNode peek() {
      return nodes.isEmpty() ? null : nodes.get(0);
    }

    @Override
    public TimerNode poll() {
      TimerNode first = peek();
      if (first != null) {
        remove(first);
      }
      return first;
    }

    @Override
    public int size() {
      return nodes.size();
    }
  }

  @Test
  void dispatcherRunsPostsAndTimersThroughPluggedInQueues() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      LockedPostQueue posts = new LockedPostQueue();
      try (LoopThread loop = new LoopThread(
          EpollDispatcher.create("plugged", posts, new SortedListTimerQueue()))) {
        Dispatcher d = loop.dispatcher;
        List<String> order = new ArrayList<>(); // loop thread only
        CountDownLatch done = new CountDownLatch(1);
        // Fire order must follow the deadlines the queue holds, whatever order they were set in.
        Map<String, Long> deadlines = new HashMap<>();
        loop.call(() -> {
          for (String[] timer : new String[][] {{"t2", "4"}, {"t3", "6"}, {"t1", "2"}}) {
            Timer t = d.createTimer(() -> {
              order.add(timer[0]);
              if (deadlines.size() == order.stream().filter(s -> s.startsWith("t")).count()) {
                done.countDown();
              }
            });
            t.enable(Duration.ofMillis(Long.parseLong(timer[1])));
            deadlines.put(timer[0], ((TimerNode) t).deadlineNanos());
          }
          return null;
        });
        for (int i = 0; i < 100; i++) {
          int n = i;
          d.post(() -> order.add("p" + n));
        }
        done.await();
        List<String> seen = loop.call(() -> new ArrayList<>(order));
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          posted.add("p" + i);
        }
        assertEquals(posted, seen.stream().filter(s -> s.startsWith("p")).toList());
        List<String> byDeadline = new ArrayList<>(deadlines.keySet());
        byDeadline.sort(java.util.Comparator.comparing(deadlines::get));
        assertEquals(byDeadline, seen.stream().filter(s -> s.startsWith("t")).toList());
        assertEquals(true, posts.offers >= 100, "the dispatcher used the plugged-in queue");
      }
    });
  }

  @Test
  void heapTimerQueueMatchesAReferenceOrderUnderRandomAddsAndRemoves() {
    SplittableRandom random = new SplittableRandom(11);
    HeapTimerQueue heap = new HeapTimerQueue();
    PriorityQueue<TimerNode> reference = new PriorityQueue<>(
        (a, b) -> TimerNode.before(a, b) ? -1 : TimerNode.before(b, a) ? 1 : 0);
    List<TimerNode> queued = new ArrayList<>();
    long sequence = 0;
    for (int step = 0; step < 200_000; step++) {
      int op = random.nextInt(10);
      if (op < 5 || queued.isEmpty()) {
        TimerNode node = new TimerNode() { };
        node.schedule(random.nextLong(1_000), sequence++); // many equal deadlines: ties matter
        heap.add(node);
        reference.add(node);
        queued.add(node);
      } else if (op < 8) {
        TimerNode node = queued.remove(random.nextInt(queued.size()));
        heap.remove(node);
        reference.remove(node);
        assertEquals(-1, node.queueIndex());
      } else {
        TimerNode expected = reference.poll();
        assertSame(expected, heap.poll());
        queued.remove(expected);
      }
      assertEquals(reference.size(), heap.size());
      assertSame(reference.peek(), heap.peek());
    }
    while (!reference.isEmpty()) {
      assertSame(reference.poll(), heap.poll());
    }
    assertNull(heap.poll());
  }

  @Test
  void heapTimerQueueRejectsRemovingANodeItDoesNotHold() {
    HeapTimerQueue heap = new HeapTimerQueue();
    TimerNode stranger = new TimerNode() { };
    assertThrows(IllegalStateException.class, () -> heap.remove(stranger));
  }
}
