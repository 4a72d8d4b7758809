package io.kallisto.event;

/**
 * The pending timers of one dispatcher, ordered by {@link TimerNode#before}. A seam: the
 * dispatcher works with any implementation (a heap, a hashed wheel), which is how exercises plug
 * in their own. Used only on the loop thread, so it needs no synchronisation.
 *
 * <p>Contract: {@link #add} takes a node that is not queued; {@link #remove} takes one that is;
 * {@link #peek} and {@link #poll} return the node that is due first, or {@code null}.
 */
public interface TimerQueue {
  /** Queues {@code node}, whose deadline and sequence are already set. */
  void add(TimerNode node);

  /** Removes {@code node}, which is queued. */
  void remove(TimerNode node);

  /** The node due first, without removing it, or {@code null} if none is queued. */
  TimerNode peek();

  /** Removes and returns the node due first, or {@code null} if none is queued. */
  TimerNode poll();

  /** How many nodes are queued. */
  int size();
}
