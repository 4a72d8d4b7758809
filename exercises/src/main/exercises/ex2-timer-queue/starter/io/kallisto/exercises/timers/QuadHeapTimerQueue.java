package io.kallisto.exercises.timers;

import io.kallisto.event.TimerNode;
import io.kallisto.event.TimerQueue;

/**
 * YOUR timer queue: a 4-ary min-heap of {@link TimerNode}s in an array, ordered by
 * {@link TimerNode#before} (earlier deadline first; equal deadlines in enable order). The
 * engine's loop takes it as is:
 * {@code NioDispatcher.create("loop", new MpscChunkedPostQueue(), new QuadHeapTimerQueue())}.
 *
 * <p>The contract, from {@link TimerQueue}: {@link #add} takes a node that is not queued;
 * {@link #remove} takes one that is (any node, not only the first); {@link #peek} and
 * {@link #poll} return the node due first, or {@code null}. Used only on the loop thread.
 * {@code remove} of a node that is not in this queue, and {@code add} of one that is queued,
 * throw {@link IllegalStateException} and change nothing.
 *
 * <p>Rules: a 4-ary heap (node i's children are 4i+1 .. 4i+4). Keep each node's slot in
 * {@link TimerNode#queueIndex(int)} so that {@code remove} needs no search, and set it back to
 * -1 when the node leaves the queue. No {@code java.util} priority queue or sorted collection.
 */
public final class QuadHeapTimerQueue implements TimerQueue {

  @Override
  public void add(TimerNode node) {
    throw new UnsupportedOperationException("TODO: add: put node in the heap, sift it up");
  }

  @Override
  public void remove(TimerNode node) {
    throw new UnsupportedOperationException("TODO: remove: fill its slot with the last node");
  }

  @Override
  public TimerNode peek() {
    throw new UnsupportedOperationException("TODO: peek: the node due first, or null");
  }

  @Override
  public TimerNode poll() {
    throw new UnsupportedOperationException("TODO: poll: remove and return the first node");
  }

  @Override
  public int size() {
    throw new UnsupportedOperationException("TODO: size: how many nodes are queued");
  }
}
