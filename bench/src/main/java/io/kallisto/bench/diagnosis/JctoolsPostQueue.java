package io.kallisto.bench.diagnosis;

import io.kallisto.event.PostQueue;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;

/**
 * A {@link PostQueue} over the queue Netty's own loops use: JCTools' chunked MPSC array queue,
 * as shaded in netty-common. Its head and tail indexes are padded apart and it allocates no node
 * per item. Swapping it into Kallisto isolates the queue's share of the post-throughput gap.
 */
public final class JctoolsPostQueue implements PostQueue {
  private final Queue<Runnable> queue = PlatformDependent.newMpscQueue();

  // PostQueue

  @Override
  public long offer(Runnable task) {
    queue.offer(task);
    return -1; // JCTools does not expose the slot index
  }

  @Override
  public Runnable poll() {
    // JCTools' poll() spins past an offer in progress rather than report empty: the contract.
    return queue.poll();
  }

  @Override
  public boolean isEmpty() {
    return queue.isEmpty();
  }
}
