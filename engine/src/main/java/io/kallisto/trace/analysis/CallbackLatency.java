package io.kallisto.trace.analysis;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Latency distributions per loop thread, from one pass over a trace: how long posts waited in
 * the queue (callback start minus the post's time, joined by flow id), how late timers fired
 * (callback start minus deadline), and how long callbacks of each kind ran. All in nanoseconds.
 *
 * <pre>{@code
 * CallbackLatency l = CallbackLatency.of(trace, null);
 * Histogram q = l.threads().get(1).queueDelay();
 * long p99 = q.getValueAtPercentile(99);
 * }</pre>
 *
 * <p>Posts wait for their callbacks in a bounded {@link FlowJoin} of {@value #PENDING_POSTS}
 * entries, so memory stays flat on traces with millions of posts.
 */
public final class CallbackLatency {
  /** Post or callback ends kept waiting for their other side. */
  public static final int PENDING_POSTS = 1 << 18;

  /** One thread's distributions. */
  public static final class ThreadLatency {
    private final Histogram queueDelay = histogram();
    private final Histogram timerLateness = histogram();
    private final Map<CallbackKind, Histogram> durations = new EnumMap<>(CallbackKind.class);

    /** Post to callback start, for posted callbacks run on this thread. */
    public Histogram queueDelay() {
      return queueDelay;
    }

    /** Deadline to callback start, for timers fired on this thread. */
    public Histogram timerLateness() {
      return timerLateness;
    }

    /** Callback run times by kind, for the kinds this thread ran. */
    public Map<CallbackKind, Histogram> durations() {
      return durations;
    }
  }

  private final Map<Integer, ThreadLatency> threads = new TreeMap<>();
  private final FlowJoin posts = new FlowJoin(false, PENDING_POSTS,
      (flow, post, callback) -> record(thread(callback.thread).queueDelay,
          callback.time - post.time));

  private CallbackLatency() {}

  /** Reads every event of {@code trace} once; {@code progress} may be null. */
  public static CallbackLatency of(TraceFile trace, ReadProgress progress) {
    CallbackLatency l = new CallbackLatency();
    long[] seen = {0};
    trace.forEach(e -> {
      l.add(e);
      ReadProgress.tick(progress, ++seen[0]);
    });
    return l;
  }

  private void add(TraceEvent e) {
    if (e.type() == EventType.POST) {
      posts.send(e.b(), e.time(), e.thread());
      return;
    }
    CallbackKind kind = e.callbackKind();
    if (kind == null) {
      return;
    }
    ThreadLatency t = thread(e.thread());
    record(t.durations.computeIfAbsent(kind, k -> histogram()), e.duration());
    if (kind == CallbackKind.POST) {
      posts.receive(e.b(), e.time(), e.thread());
    } else if (kind == CallbackKind.TIMER) {
      record(t.timerLateness, e.time() - e.b());
    }
  }

  /** Distributions by trace thread id, for threads that ran at least one callback. */
  public Map<Integer, ThreadLatency> threads() {
    return threads;
  }

  /** Posts joined to their callbacks. */
  public long postsJoined() {
    return posts.joined();
  }

  /**
   * Posts and posted callbacks left without their other end: the trace was cut, a post's
   * callback never ran, or the bounded join dropped them.
   */
  public long postsUnmatched() {
    return posts.waiting() + posts.dropped();
  }

  private ThreadLatency thread(int id) {
    return threads.computeIfAbsent(id, k -> new ThreadLatency());
  }

  private static Histogram histogram() {
    return new Histogram(3); // auto-resizing: no ceiling to guess for a foreign trace
  }

  private static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(0, nanos)); // clocks of different threads may disagree by a little
  }
}
