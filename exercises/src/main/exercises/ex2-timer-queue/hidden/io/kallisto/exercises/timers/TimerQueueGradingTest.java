package io.kallisto.exercises.timers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.event.TimerNode;
import io.kallisto.exercises.support.Points;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests for the queue alone: random add/remove/poll sequences against a sorted
 * model, one seed per run; a failure names its seed and step, so that it replays exactly.
 */
class TimerQueueGradingTest {
  private static final int SEEDS = 50;
  private static final int STEPS = 2_000;
  private static final Comparator<Node> ORDER = (a, b) ->
      TimerNode.before(a, b) ? -1 : TimerNode.before(b, a) ? 1 : 0;

  @Test
  @Points(10)
  void randomAddsRemovesAndPollsMatchASortedModel() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      List<String> failures = new ArrayList<>();
      for (long seed = 1; seed <= SEEDS; seed++) {
        String problem = oneSeed(seed);
        if (problem != null) {
          failures.add("seed " + seed + ": " + problem);
        }
      }
      assertEquals(0, failures.size(), "expected the queue to match a sorted model for all "
          + SEEDS + " seeds; failed " + failures.size() + " of " + SEEDS + "; first: "
          + (failures.isEmpty() ? "" : failures.get(0)));
    });
  }

  private static String oneSeed(long seed) {
    Random random = new Random(seed);
    QuadHeapTimerQueue q = new QuadHeapTimerQueue();
    TreeSet<Node> model = new TreeSet<>(ORDER);
    List<Node> queued = new ArrayList<>();
    long sequence = 0;
    try {
      for (int step = 0; step < STEPS; step++) {
        int op = random.nextInt(10);
        if (op < 5 || queued.isEmpty()) {
          // Few distinct deadlines, so that ties (broken by sequence) are common.
          Node n = new Node("n" + sequence, random.nextInt(64), sequence++);
          q.add(n);
          model.add(n);
          queued.add(n);
        } else if (op < 8) {
          Node n = queued.remove(random.nextInt(queued.size()));
          q.remove(n);
          model.remove(n);
          if (n.queueIndex() != -1) {
            return "step " + step + ": after remove(" + n + "), expected its queueIndex -1 but"
                + " it was " + n.queueIndex();
          }
        } else {
          Node expected = model.pollFirst();
          TimerNode got = q.poll();
          if (got != expected) {
            return "step " + step + ": expected poll() to return " + expected + " but got "
                + got;
          }
          queued.remove(expected);
        }
        if (q.size() != model.size()) {
          return "step " + step + ": expected size " + model.size() + " but size() was "
              + q.size();
        }
        TimerNode first = model.isEmpty() ? null : model.first();
        if (q.peek() != first) {
          return "step " + step + ": expected peek() " + first + " but got " + q.peek();
        }
      }
    } catch (RuntimeException e) {
      return "threw " + e;
    }
    return null;
  }

  @Test
  @Points(5)
  void removingANodeFromTheMiddleKeepsTheRestInOrder() {
    QuadHeapTimerQueue q = new QuadHeapTimerQueue();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Node n = new Node("t" + i, (i * 7919L) % 31, i);
      nodes.add(n);
      q.add(n);
    }
    for (int i = 1; i < 30; i += 3) {
      q.remove(nodes.get(i));
    }
    TreeSet<Node> model = new TreeSet<>(ORDER);
    for (int i = 0; i < 30; i++) {
      if (i % 3 != 1) {
        model.add(nodes.get(i));
      }
    }
    List<String> expected = new ArrayList<>();
    model.forEach(n -> expected.add(n.name));
    List<String> got = new ArrayList<>();
    TimerNode n;
    while ((n = q.poll()) != null) {
      got.add(((Node) n).name);
    }
    assertEquals(expected, got, "expected the nodes left after removing every third one to"
        + " poll in deadline order");
  }
}
