package io.kallisto.notebook;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The callback in a trace that the other loops of a group overtook the most: while it ran on its
 * loop, the other loops finished the most callbacks of their own. When every callback does about
 * the same short work, one that lasts far longer while its neighbours keep finishing theirs was
 * not held up by the machine as a whole (a pause of the JVM stops them all): its thread was off
 * its core, runnable and waiting, while others had one. That is what oversubscription looks like
 * in a trace.
 *
 * <pre>{@code
 * Overtaken o = Overtaken.most(r.trace(), "worker-");
 * o.thread();                          // "worker-2"
 * o.took();                            // 3.1 ms of wall time
 * o.othersFinished();                  // 57 callbacks finished on the other workers meanwhile
 * Timeline.show(r.trace(), o.window()); // the picture, captioned
 * }</pre>
 *
 * <p>Ties go to the longer callback. Only loops whose thread names start with the prefix count,
 * both as candidates and as the others.
 *
 * @param thread the loop whose callback was overtaken
 * @param took how long that callback lasted, in wall (or virtual) time
 * @param othersFinished callbacks that began and ended on the group's other loops meanwhile
 * @param window the callback with context on each side, for {@link Timeline#show(Path, Window)}
 */
public record Overtaken(String thread, Duration took, long othersFinished, Window window) {

  /**
   * The callback of a loop named {@code prefix}* during which the group's other loops finished
   * the most callbacks.
   *
   * <pre>{@code Overtaken.most(Path.of("run.ktrace"), "worker-")}</pre>
   *
   * @throws IllegalArgumentException if no such loop ran a callback in the trace
   */
  public static Overtaken most(Path trace, String prefix) {
    try (TraceFile t = TraceFile.open(trace)) {
      Map<Integer, String> names = new TreeMap<>();
      t.threads().forEach((id, name) -> {
        if (name.startsWith(prefix)) {
          names.put(id, name);
        }
      });
      Map<Integer, List<long[]>> slices = new TreeMap<>();
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK && names.containsKey(e.thread())) {
          slices.computeIfAbsent(e.thread(), k -> new ArrayList<>())
              .add(new long[] {e.time(), e.end()});
        }
      });
      if (slices.isEmpty()) {
        throw new IllegalArgumentException("trace " + trace.getFileName() + " has no callback on"
            + " a thread named " + prefix + "*; its threads are " + t.threads().values());
      }
      // Per loop, its callbacks' starts and ends in order (a loop runs one callback at a time).
      List<Integer> ids = new ArrayList<>(slices.keySet());
      long[][] starts = new long[ids.size()][];
      long[][] ends = new long[ids.size()][];
      for (int j = 0; j < ids.size(); j++) {
        List<long[]> s = slices.get(ids.get(j));
        s.sort((a, b) -> Long.compare(a[0], b[0]));
        starts[j] = s.stream().mapToLong(x -> x[0]).toArray();
        ends[j] = s.stream().mapToLong(x -> x[1]).toArray();
        Arrays.sort(ends[j]); // already in order unless callbacks nest; keeps the search sound
      }
      int bestThread = -1;
      long bestFrom = 0;
      long bestTo = 0;
      long bestCount = -1;
      for (int j = 0; j < ids.size(); j++) {
        for (int i = 0; i < starts[j].length; i++) {
          long from = starts[j][i];
          long to = ends[j][i];
          long count = 0;
          for (int k = 0; k < ids.size(); k++) {
            if (k != j) {
              count += within(starts[k], ends[k], from, to);
            }
          }
          if (count > bestCount || (count == bestCount && to - from > bestTo - bestFrom)) {
            bestThread = j;
            bestFrom = from;
            bestTo = to;
            bestCount = count;
          }
        }
      }
      String name = names.get(ids.get(bestThread));
      long first = t.firstTime();
      long took = bestTo - bestFrom;
      long pad = Math.max(500_000L, took / 4);
      Window w = Window.ofNanos(bestFrom - first - pad, bestTo - first + pad, name
          + ": a callback that took " + Numbers.micros(took) + " while the other " + prefix
          + "* loops finished " + bestCount + " callbacks");
      return new Overtaken(name, Duration.ofNanos(took), bestCount, w);
    }
  }

  /** Callbacks that began at or after {@code from} and ended by {@code to}. */
  private static long within(long[] starts, long[] ends, long from, long to) {
    int first = lowerBound(starts, from);      // first start >= from
    int last = upperBound(ends, to) - 1;       // last end <= to
    return Math.max(0, last - first + 1);
  }

  private static int lowerBound(long[] a, long v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int upperBound(long[] a, long v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** What the window shows and where. */
  @Override
  public String toString() {
    return window.toString();
  }
}
