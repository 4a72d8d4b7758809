package io.kallisto.trace.analysis;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each thread of a trace did, from one pass over it: events per thread and per type, and
 * for loop threads the iterations and the time spent polling and working.
 *
 * <pre>{@code
 * LoopActivity a = LoopActivity.of(trace, done -> progress.update(done));
 * a.threads().forEach((id, t) -> System.out.println(id + " busy " + t.busyPercent() + "%"));
 * }</pre>
 */
public final class LoopActivity {
  /** One thread's totals. */
  public static final class ThreadActivity {
    private long events;
    private long iterations;
    private long pollNanos;
    private long workNanos;

    /** Events the thread recorded. */
    public long events() {
      return events;
    }

    /** Loop iterations: one WORK slice each. */
    public long iterations() {
      return iterations;
    }

    /** Time spent in poll, blocking or not. */
    public long pollNanos() {
      return pollNanos;
    }

    /** Time spent working after polls. */
    public long workNanos() {
      return workNanos;
    }

    /** Work as a percentage of poll plus work, or NaN for a thread that ran no loop. */
    public double busyPercent() {
      long total = pollNanos + workNanos;
      return total == 0 ? Double.NaN : 100.0 * workNanos / total;
    }
  }

  private final Map<Integer, ThreadActivity> threads = new TreeMap<>();
  private final Map<EventType, Long> byType = new EnumMap<>(EventType.class);

  private LoopActivity() {}

  /**
   * Reads every event of {@code trace} once; {@code progress} (may be null) hears the number of
   * events read so far, now and then.
   */
  public static LoopActivity of(TraceFile trace, ReadProgress progress) {
    LoopActivity a = new LoopActivity();
    long[] perType = new long[64];
    long[] seen = {0};
    trace.forEach(e -> {
      a.add(e);
      perType[e.type().code()]++;
      ReadProgress.tick(progress, ++seen[0]);
    });
    for (EventType t : EventType.values()) {
      if (perType[t.code()] > 0) {
        a.byType.put(t, perType[t.code()]);
      }
    }
    return a;
  }

  private void add(TraceEvent e) {
    ThreadActivity t = threads.computeIfAbsent(e.thread(), id -> new ThreadActivity());
    t.events++;
    if (e.type() == EventType.POLL) {
      t.pollNanos += e.duration();
    } else if (e.type() == EventType.WORK) {
      t.iterations++;
      t.workNanos += e.duration();
    }
  }

  /** Totals by trace thread id, for threads that recorded at least one event. */
  public Map<Integer, ThreadActivity> threads() {
    return threads;
  }

  /** Event counts by type, for the types present. */
  public Map<EventType, Long> byType() {
    return byType;
  }
}
