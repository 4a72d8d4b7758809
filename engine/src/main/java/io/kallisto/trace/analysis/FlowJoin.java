package io.kallisto.trace.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Joins the two ends of flows (a post and the callback it caused, a slot set and each worker's
 * update) while a trace streams past, in whatever order the ends appear. A file stores blocks
 * thread by thread, so a callback can come before its post; each side therefore waits in a map
 * until the other arrives.
 *
 * <pre>{@code
 * FlowJoin posts = new FlowJoin(false, 1 << 18, (flow, from, to) -> delay.record(to.time - from.time));
 * trace.forEach(e -> { if (isPost(e)) posts.send(e.b(), e.time(), e.thread()); ... });
 * }</pre>
 *
 * <p>Both maps are bounded: a trace may hold millions of flows, but only those whose other end
 * has not yet been read wait, and when a map is full its oldest entry is dropped and counted in
 * {@link #dropped()}. Flow id 0 means "no flow" and is ignored.
 */
public final class FlowJoin {
  /** One end of a flow: when and on which thread. */
  public static final class End {
    /** Time of the end, in trace nanoseconds. */
    public final long time;
    /** Trace thread id. */
    public final int thread;
    End next; // further receivers of the same flow, waiting for their sender

    End(long time, int thread) {
      this.time = time;
      this.thread = thread;
    }
  }

  /** Receives each joined pair once. */
  @FunctionalInterface
  public interface Listener {
    /** {@code from} sent flow {@code flow}, and {@code to} received it. */
    void joined(long flow, End from, End to);
  }

  private final boolean manyReceivers;
  private final int capacity;
  private final Listener listener;
  private final Map<Long, End> senders;
  private final Map<Long, End> receivers;
  private long joined;
  private long dropped;

  /**
   * @param manyReceivers true when one sender has several receivers (a slot set reaches every
   *     worker): the sender then stays until it is evicted
   * @param capacity the most ends each side keeps waiting
   */
  public FlowJoin(boolean manyReceivers, int capacity, Listener listener) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity=" + capacity + "; must be at least 1");
    }
    this.manyReceivers = manyReceivers;
    this.capacity = capacity;
    this.listener = listener;
    this.senders = boundedMap();
    this.receivers = boundedMap();
  }

  /** Records the sending end of {@code flow}. */
  public void send(long flow, long time, int thread) {
    if (flow == 0) {
      return;
    }
    End from = new End(time, thread);
    End waiting = receivers.remove(flow);
    for (End to = waiting; to != null; to = to.next) {
      join(flow, from, to);
    }
    if (waiting == null || manyReceivers) {
      senders.put(flow, from);
    }
  }

  /** Records a receiving end of {@code flow}. */
  public void receive(long flow, long time, int thread) {
    if (flow == 0) {
      return;
    }
    End to = new End(time, thread);
    End from = manyReceivers ? senders.get(flow) : senders.remove(flow);
    if (from != null) {
      join(flow, from, to);
      return;
    }
    End earlier = receivers.get(flow);
    if (earlier == null) {
      receivers.put(flow, to);
    } else if (manyReceivers) {
      to.next = earlier.next; // order among waiting receivers does not matter
      earlier.next = to;
    } else {
      dropped++; // a second receiver of a one-to-one flow: a damaged or foreign record
    }
  }

  /** Pairs joined so far. */
  public long joined() {
    return joined;
  }

  /** Ends dropped because a map was full (or a one-to-one flow was received twice). */
  public long dropped() {
    return dropped;
  }

  /**
   * Ends still waiting for their other side. For one-to-one flows these are unmatched: posts
   * whose callback never ran (or was cut off), callbacks whose post was not traced.
   */
  public long waiting() {
    long n = manyReceivers ? 0 : senders.size();
    for (End e : receivers.values()) {
      for (End r = e; r != null; r = r.next) {
        n++;
      }
    }
    return n;
  }

  private void join(long flow, End from, End to) {
    joined++;
    listener.joined(flow, from, to);
  }

  private Map<Long, End> boundedMap() {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, End> eldest) {
        if (size() <= capacity) {
          return false;
        }
        dropped++;
        return true;
      }
    };
  }
}
