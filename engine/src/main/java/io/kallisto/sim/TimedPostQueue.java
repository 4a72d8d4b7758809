package io.kallisto.sim;

import io.kallisto.event.PostQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A simulated dispatcher's post queue: FIFO, each task stamped with the virtual time from which
 * the loop may see it (the poster's time, plus the post cost when it came from another
 * dispatcher). Stamps never decrease along the queue, so a post that an earlier, longer step made
 * "later" in virtual time holds back the ones queued behind it, as FIFO requires.
 *
 * <p>In a driven simulation the ring is touched only by the simulation's thread. Posts from any
 * other thread, and every post to a standalone dispatcher (whose loop any one thread may run),
 * go to a concurrent inbox and join the ring, stamped with the time then, when the consumer next
 * looks; they are not numbered ({@link #offer} returns -1), so traces show no flow for them.
 */
final class TimedPostQueue implements PostQueue {
  private final Simulation sim;
  private SimulatedDispatcher owner;
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private Runnable[] tasks = new Runnable[16];
  private long[] times = new long[16];
  private long[] seqs = new long[16];
  private int head;
  private int size;
  private long nextSeq;
  private long lastPolled = -1;

  TimedPostQueue(Simulation sim) {
    this.sim = sim;
  }

  void owner(SimulatedDispatcher d) {
    this.owner = d;
  }

  // PostQueue

  @Override
  public long offer(Runnable task) {
    if (!sim.acceptsDirectPosts()) {
      inbox.add(task); // the dispatcher's wakeUp() tells the simulation
      return -1;
    }
    long seq = nextSeq++;
    append(task, sim.postTime(owner), seq);
    return seq;
  }

  @Override
  public Runnable poll() {
    drainInbox();
    if (size == 0 || times[head] > sim.now()) {
      return null; // not visible yet: a longer step on another core posted it "later"
    }
    Runnable task = tasks[head];
    tasks[head] = null;
    lastPolled = seqs[head];
    head = (head + 1) & (tasks.length - 1);
    size--;
    return task;
  }

  @Override
  public boolean isEmpty() {
    drainInbox();
    return size == 0 || times[head] > sim.now();
  }

  @Override
  public long lastPolledSequence() {
    return lastPolled;
  }

  @Override
  public void removeMarker(Runnable marker) {
    int mask = tasks.length - 1;
    for (int k = 0; k < size; k++) {
      if (tasks[(head + k) & mask] == marker) {
        // Close the gap; stamps stay non-decreasing, as the marker's was the largest so far.
        for (int j = k; j < size - 1; j++) {
          int to = (head + j) & mask;
          int from = (head + j + 1) & mask;
          tasks[to] = tasks[from];
          times[to] = times[from];
          seqs[to] = seqs[from];
        }
        tasks[(head + size - 1) & mask] = null;
        size--;
        return;
      }
    }
  }

  // For the simulation

  /** When the first queued post becomes visible, or {@code Long.MAX_VALUE} if none is queued. */
  long headTime() {
    drainInbox();
    return size == 0 ? Long.MAX_VALUE : times[head];
  }

  /** Posts queued, visible or not. */
  int size() {
    drainInbox();
    return size;
  }

  private void drainInbox() {
    if (!inbox.isEmpty() && sim.mayDrainInboxes()) {
      Runnable r;
      while ((r = inbox.poll()) != null) {
        append(r, sim.now(), -1);
      }
    }
  }

  private void append(Runnable task, long time, long seq) {
    if (size == tasks.length) {
      grow();
    }
    int mask = tasks.length - 1;
    if (size > 0) {
      time = Math.max(time, times[(head + size - 1) & mask]);
    }
    int tail = (head + size) & mask;
    tasks[tail] = task;
    times[tail] = time;
    seqs[tail] = seq;
    size++;
  }

  private void grow() {
    int n = tasks.length;
    Runnable[] t2 = new Runnable[n * 2];
    long[] ti2 = new long[n * 2];
    long[] s2 = new long[n * 2];
    for (int k = 0; k < size; k++) {
      int from = (head + k) & (n - 1);
      t2[k] = tasks[from];
      ti2[k] = times[from];
      s2[k] = seqs[from];
    }
    tasks = t2;
    times = ti2;
    seqs = s2;
    head = 0;
  }
}
