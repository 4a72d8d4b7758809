package io.kallisto.exercises.postqueue;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.exercises.support.Points;
import java.time.Duration;
import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: Lincheck model-checks LinkedPostQueue against a sequential FIFO queue.
 * It explores thread interleavings (switching threads between shared-memory accesses) that real
 * threads on two cores rarely reach, so an unsynchronised queue fails here every time.
 * Producers offer concurrently; poll and isEmpty run on one thread at a time (the consumer).
 * Public, with a public constructor: Lincheck creates its own instances.
 */
public class PostQueueLincheckTest {
  private final LinkedPostQueue queue = new LinkedPostQueue();

  /** A task that carries a number, so that results compare by value. */
  private record Tag(int value) implements Runnable {
    @Override
    public void run() {}
  }

  @Operation
  public void offer(int value) {
    queue.offer(new Tag(value));
  }

  @Operation(nonParallelGroup = "consumer")
  public Integer poll() {
    Runnable r = queue.poll();
    return r == null ? null : ((Tag) r).value();
  }

  @Operation(nonParallelGroup = "consumer")
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** What the queue must look like from outside: a plain FIFO queue. */
  public static final class Sequential {
    private final ArrayDeque<Integer> items = new ArrayDeque<>();

    public void offer(int value) {
      items.addLast(value);
    }

    public Integer poll() {
      return items.pollFirst();
    }

    public boolean isEmpty() {
      return items.isEmpty();
    }
  }

  @Test
  @Points(10)
  void everyInterleavingLincheckExploresMatchesASequentialFifoQueue() {
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
      try {
        new ModelCheckingOptions()
            .iterations(12)
            .invocationsPerIteration(500)
            .threads(3)
            .actorsPerThread(3)
            .sequentialSpecification(Sequential.class)
            .check(PostQueueLincheckTest.class);
      } catch (AssertionError e) {
        // The full report (scenario and interleaving) goes to the log; feedback gets the start.
        System.out.println(e.getMessage());
        String report = String.valueOf(e.getMessage()).replaceAll("[ \\t]+", " ");
        throw new AssertionError("expected every concurrent run of offer/poll/isEmpty to match"
            + " a sequential FIFO queue; Lincheck found one that does not: " + report, e);
      }
    });
  }
}
