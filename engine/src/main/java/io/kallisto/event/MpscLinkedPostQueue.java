package io.kallisto.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The default {@link PostQueue}: Dmitry Vyukov's intrusive multi-producer single-consumer linked
 * queue. {@link #offer} is one atomic exchange on the tail and one release store: it never spins,
 * never blocks and never fails, however many threads post.
 *
 * <p>Nodes that the consumer has finished with go to a small pool that only the consumer thread
 * uses, so a loop that posts to itself allocates nothing once warm. Other threads allocate one
 * 24-byte node per post (as {@code ConcurrentLinkedQueue} does); the loop thread never does.
 *
 * <pre>
 *   head (consumer's)                          tail (producers swap it)
 *     |                                          |
 *   [stub] --next--> [task A] --next--> ... --> [task Z] --next--> null
 * </pre>
 *
 * A producer swaps itself into {@code tail} and then links the previous tail to itself. Between
 * those two steps the chain is briefly broken; {@link #poll} waits for the link instead of
 * reporting an empty queue.
 */
public final class MpscLinkedPostQueue implements PostQueue {
  private static final int POOL_CAPACITY = 1024;
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;
  private static final VarHandle CONSUMER;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(MpscLinkedPostQueue.class, "tail", Node.class);
      NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
      CONSUMER = lookup.findVarHandle(MpscLinkedPostQueue.class, "consumer", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final class Node {
    Runnable task;
    Node next; // accessed through NEXT
  }

  // Consumer-owned.
  private Node head;
  private final Node[] pool = new Node[POOL_CAPACITY];
  private int pooled;

  @SuppressWarnings("unused") // accessed through TAIL
  private volatile Node tail;
  @SuppressWarnings("unused") // accessed through CONSUMER
  private volatile Thread consumer;

  /** Creates an empty queue. */
  public MpscLinkedPostQueue() {
    Node stub = new Node();
    head = stub;
    tail = stub;
  }

  // PostQueue

  @Override
  public void offer(Runnable task) {
    Node node = takeNode();
    node.task = task;
    Node previous = (Node) TAIL.getAndSet(this, node);
    // Publishes the node and its task to the consumer.
    NEXT.setRelease(previous, node);
  }

  @Override
  public Runnable poll() {
    Node current = head;
    Node next = (Node) NEXT.getAcquire(current);
    if (next == null) {
      if (TAIL.getVolatile(this) == current) {
        return null;
      }
      // A producer has swapped the tail but not linked it yet: it is a few instructions away.
      while ((next = (Node) NEXT.getAcquire(current)) == null) {
        Thread.onSpinWait();
      }
    }
    Runnable task = next.task;
    next.task = null;
    head = next;
    // 'current' is unreachable now: its successor is linked, so no producer still holds it.
    recycle(current);
    return task;
  }

  @Override
  public boolean isEmpty() {
    return TAIL.getVolatile(this) == head;
  }

  @Override
  public void consumerThread(Thread thread) {
    CONSUMER.setVolatile(this, thread);
  }

  private Node takeNode() {
    if (pooled > 0 && Thread.currentThread() == CONSUMER.getVolatile(this)) {
      Node node = pool[--pooled];
      pool[pooled] = null;
      NEXT.set(node, null);
      return node;
    }
    return new Node();
  }

  private void recycle(Node node) {
    if (pooled < POOL_CAPACITY) {
      pool[pooled++] = node;
    }
  }
}
