package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;

/**
 * YOUR post queue: many producers, one consumer (the loop thread). The engine's dispatchers take
 * it as is: {@code NioDispatcher.create("loop", new LinkedPostQueue(), new HeapTimerQueue())}.
 *
 * <p>The contract, from {@link PostQueue}:
 * <ul>
 *   <li>{@link #offer} is safe from any thread, never blocks and never rejects;
 *   <li>items offered by one thread are polled in the order offered (FIFO per producer);
 *   <li>{@link #poll} and {@link #isEmpty} are called by one consumer thread at a time;
 *   <li>once an {@code offer} has returned, {@code isEmpty()} is false until that item is polled;
 *       if {@code isEmpty()} was false because an offer is still in progress, {@code poll()}
 *       waits for it rather than returning {@code null}.
 * </ul>
 * Rules: no {@code java.util.concurrent} collection (no ConcurrentLinkedQueue, no
 * BlockingQueue); atomics ({@code AtomicReference}, {@code VarHandle}) and locks are allowed.
 */
public final class LinkedPostQueue implements PostQueue {

  @Override
  public long offer(Runnable task) {
    throw new UnsupportedOperationException("TODO: offer: append task at the tail; any thread");
  }

  @Override
  public Runnable poll() {
    throw new UnsupportedOperationException("TODO: poll: remove the head, or null if empty");
  }

  @Override
  public boolean isEmpty() {
    throw new UnsupportedOperationException("TODO: isEmpty: true if nothing is queued");
  }
}
