package io.kallisto.exercises.postqueue;

import io.kallisto.event.MpscChunkedPostQueue;
import io.kallisto.event.PostQueue;

/**
 * Buggy variant "wraps-engine-queue": hands every call to the engine's own queue. It passes the
 * tests, and breaks the rule that the queue is the student's own (rules.txt): the grade is 0.
 */
public final class LinkedPostQueue implements PostQueue {
  private final MpscChunkedPostQueue engine = new MpscChunkedPostQueue();

  @Override
  public long offer(Runnable task) {
    return engine.offer(task);
  }

  @Override
  public Runnable poll() {
    return engine.poll();
  }

  @Override
  public boolean isEmpty() {
    return engine.isEmpty();
  }
}
