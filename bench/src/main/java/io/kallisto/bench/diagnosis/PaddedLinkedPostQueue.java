package io.kallisto.bench.diagnosis;

import io.kallisto.event.PostQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Kallisto's {@code MpscLinkedPostQueue} (Vyukov's linked MPSC queue) with two changes only, to
 * test whether false sharing explains its post throughput:
 *
 * <ul>
 *   <li>the producers' {@code tail} sits on its own cache lines, away from the consumer's
 *       {@code head}, by class-hierarchy padding (JCTools' trick: the JVM lays out superclass
 *       fields first, so the padding cannot be reordered away);
 *   <li>there is no node pool, so a producer never reads consumer-written fields.
 * </ul>
 */
public final class PaddedLinkedPostQueue extends PaddedTailField implements PostQueue {
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(PaddedTailField.class, "tail", PaddedNode.class);
      NEXT = lookup.findVarHandle(PaddedNode.class, "next", PaddedNode.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused")
  private long q0, q1, q2, q3, q4, q5, q6, q7; // keeps the tail's line from the next object

  /** Creates an empty queue. */
  public PaddedLinkedPostQueue() {
    PaddedNode stub = new PaddedNode();
    head = stub;
    tail = stub;
  }

  // PostQueue

  @Override
  public void offer(Runnable task) {
    PaddedNode node = new PaddedNode();
    node.task = task;
    PaddedNode previous = (PaddedNode) TAIL.getAndSet(this, node);
    NEXT.setRelease(previous, node);
  }

  @Override
  public Runnable poll() {
    PaddedNode current = head;
    PaddedNode next = (PaddedNode) NEXT.getAcquire(current);
    if (next == null) {
      if (TAIL.getVolatile(this) == current) {
        return null;
      }
      while ((next = (PaddedNode) NEXT.getAcquire(current)) == null) {
        Thread.onSpinWait();
      }
    }
    Runnable task = next.task;
    next.task = null;
    head = next;
    return task;
  }

  @Override
  public boolean isEmpty() {
    return TAIL.getVolatile(this) == head;
  }
}

/** One queued task. */
final class PaddedNode {
  Runnable task;
  PaddedNode next;
}

/** The consumer's field, first in the layout. */
abstract class PaddedHeadField {
  PaddedNode head;
}

/** 64 bytes of padding between head and tail. */
@SuppressWarnings("unused")
abstract class PaddedPad extends PaddedHeadField {
  private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The producers' field. */
abstract class PaddedTailField extends PaddedPad {
  volatile PaddedNode tail;
}
