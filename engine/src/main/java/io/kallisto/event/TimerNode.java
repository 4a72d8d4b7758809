package io.kallisto.event;

/**
 * What a {@link TimerQueue} orders: a deadline, and a sequence number that breaks ties so that
 * timers with equal deadlines fire in the order they were enabled. Implementations of
 * {@link TimerQueue} may keep their own position in {@link #queueIndex}.
 */
public abstract class TimerNode {
  private long deadlineNanos;
  private long sequence;
  private int queueIndex = -1;

  /** The monotonic time, in nanoseconds, at which the timer is due. */
  public final long deadlineNanos() {
    return deadlineNanos;
  }

  /** The enable order: higher was enabled later. */
  public final long sequence() {
    return sequence;
  }

  /** Free for the queue's use, such as a heap position. -1 when the node is not queued. */
  public final int queueIndex() {
    return queueIndex;
  }

  /** Sets the value returned by {@link #queueIndex()}. For {@link TimerQueue} implementations. */
  public final void queueIndex(int index) {
    this.queueIndex = index;
  }

  /** Called by the dispatcher before the node is added to a queue. */
  protected final void schedule(long deadlineNanos, long sequence) {
    this.deadlineNanos = deadlineNanos;
    this.sequence = sequence;
  }

  /** True if {@code a} is due before {@code b}: earlier deadline, then lower sequence. */
  public static boolean before(TimerNode a, TimerNode b) {
    return a.deadlineNanos != b.deadlineNanos
        ? a.deadlineNanos < b.deadlineNanos
        : a.sequence < b.sequence;
  }
}
