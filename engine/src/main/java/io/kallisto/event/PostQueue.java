package io.kallisto.event;

/**
 * The queue behind {@link Dispatcher#post}: many producers, one consumer (the loop thread). A
 * seam: the dispatcher works with any implementation, which is how exercises plug in their own.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #offer} is safe from any thread, never blocks and never rejects.
 *   <li>Items offered by one thread are polled in the order offered.
 *   <li>{@link #poll} and {@link #isEmpty} are called only by the consumer, one thread at a time,
 *       with a happens-before edge between successive consumers.
 *   <li>Once an {@code offer} has returned, {@code isEmpty()} is false until that item is polled.
 *       An item whose {@code offer} is still in progress may already make {@code isEmpty()}
 *       false; {@code poll()} then waits for it rather than returning {@code null}.
 * </ul>
 */
public interface PostQueue {
  /**
   * Adds {@code task} at the tail. Safe from any thread.
   *
   * @return the task's sequence number in this queue (tasks are numbered 0, 1, 2, ... in the
   *     order {@link #poll} returns them), or -1 if this queue does not number its tasks; traces
   *     use it to join a post to the run of its callback
   */
  long offer(Runnable task);

  /** Removes and returns the head, or {@code null} if the queue is empty. Consumer only. */
  Runnable poll();

  /** True if nothing is queued. Consumer only. */
  boolean isEmpty();

  /**
   * The sequence number {@link #offer} returned for the task the last {@link #poll} returned, or
   * -1 if this queue does not number its tasks. Consumer only.
   */
  default long lastPolledSequence() {
    return -1;
  }

  /**
   * How many items are queued (offered, not yet polled) at this instant, or -1 if this queue
   * cannot tell. Safe from any thread. Read while the consumer polls or producers offer, it is
   * a moment's value: it may be out by the items offered or polled meanwhile. The dispatcher
   * calls it only while tracing, to record its queue depth.
   */
  default long queuedItems() {
    return -1;
  }

  /**
   * Called by the loop when {@link #poll} returned {@code null} before reaching {@code marker},
   * the end-of-batch item the loop offered itself: removes that marker so that it does not end a
   * later batch. Only a queue that holds visible items back (the simulated one, whose posts become
   * visible at their virtual time) ever returns {@code null} early; for others this is never
   * called. Consumer only.
   */
  default void removeMarker(Runnable marker) {}
}
