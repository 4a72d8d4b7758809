package io.kallisto.visualizer.model;

import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole trace at a glance before a single event is decoded: how many events each thread
 * recorded when, read from the events blocks' headers alone (each names its thread, its count of
 * events and the time range they cover). It is what the window draws while the full
 * {@link TraceModel} loads, so it must be ready in the time it takes to open the file.
 *
 * <p>A block's events are taken to be spread evenly over its {@code [first, last]}: within one
 * block (hundreds to a few thousand events) the overview cannot tell more, and at whole-trace
 * zoom a busy thread's block is narrower than a pixel. Lanes follow the full model's order, one
 * per thread in thread-id order, named as the model names them; the model's extra lanes (a load
 * generator's requests) are not shown.
 *
 * <p>Immutable once built; {@link #density} writes only into the caller's array, so binning a
 * frame allocates nothing.
 */
public final class BlockOverview {
  private final Path path;
  private final long firstTime;
  private final long lastTime;
  private final int blockCount;
  private final long eventCount;
  private final int[] threadIds;
  private final String[] names;
  /** Per lane, its blocks: start, end (inclusive) and count, sorted by start. */
  private final long[][] starts;
  private final long[][] ends;
  private final int[][] counts;
  private final long[] laneEvents;

  private BlockOverview(Path path, long firstTime, long lastTime, Map<Integer, String> threads,
      int n, int[] thread, int[] count, long[] first, long[] last) {
    this.path = path;
    this.firstTime = firstTime;
    this.lastTime = lastTime;
    this.blockCount = n;
    // Every named thread gets a lane, and so does a thread that recorded without being named.
    TreeMap<Integer, String> byId = new TreeMap<>(threads);
    for (int b = 0; b < n; b++) {
      byId.putIfAbsent(thread[b], "thread-" + thread[b]);
    }
    int lanes = byId.size();
    threadIds = new int[lanes];
    names = new String[lanes];
    int i = 0;
    for (Map.Entry<Integer, String> e : byId.entrySet()) {
      threadIds[i] = e.getKey();
      names[i] = e.getValue();
      i++;
    }
    int[] perLane = new int[lanes];
    int[] laneOfBlock = new int[n];
    for (int b = 0; b < n; b++) {
      laneOfBlock[b] = Arrays.binarySearch(threadIds, thread[b]);
      perLane[laneOfBlock[b]]++;
    }
    starts = new long[lanes][];
    ends = new long[lanes][];
    counts = new int[lanes][];
    laneEvents = new long[lanes];
    for (int l = 0; l < lanes; l++) {
      starts[l] = new long[perLane[l]];
      ends[l] = new long[perLane[l]];
      counts[l] = new int[perLane[l]];
    }
    int[] fill = new int[lanes];
    long events = 0;
    for (int b = 0; b < n; b++) {
      int l = laneOfBlock[b];
      int k = fill[l]++;
      starts[l][k] = first[b];
      ends[l][k] = Math.max(first[b], last[b]);
      counts[l][k] = count[b];
      laneEvents[l] += count[b];
      events += count[b];
    }
    for (int l = 0; l < lanes; l++) {
      // A thread's blocks come in recording order, which is nearly time order (a slice that
      // ends late starts its block early); sorted by start, so that binning may stop at the
      // first block past the window.
      int[] order = PrimitiveSort.order(starts[l], perLane[l]);
      if (order != null) {
        starts[l] = PrimitiveSort.apply(starts[l], order);
        ends[l] = PrimitiveSort.apply(ends[l], order);
        counts[l] = PrimitiveSort.apply(counts[l], order);
      }
    }
    eventCount = events;
  }

  /** The overview of an opened trace, from its block index and thread table. */
  public static BlockOverview of(TraceFile trace) {
    List<TraceFile.BlockInfo> blocks = trace.blocks();
    int n = blocks.size();
    int[] thread = new int[n];
    int[] count = new int[n];
    long[] first = new long[n];
    long[] last = new long[n];
    for (int b = 0; b < n; b++) {
      TraceFile.BlockInfo info = blocks.get(b);
      thread[b] = info.thread();
      count[b] = info.count();
      first[b] = info.first();
      last[b] = info.last();
    }
    return new BlockOverview(trace.path(), trace.firstTime(), trace.lastTime(), trace.threads(),
        n, thread, count, first, last);
  }

  /** The trace file. */
  public Path path() {
    return path;
  }

  /** The file's name. */
  public String fileName() {
    return path == null ? "trace" : String.valueOf(path.getFileName());
  }

  /** The earliest time any event covers. */
  public long firstTime() {
    return firstTime;
  }

  /** The latest time any event covers. */
  public long lastTime() {
    return lastTime;
  }

  /** How many block headers this overview was built from. */
  public int blockCount() {
    return blockCount;
  }

  /** The events those blocks hold. */
  public long eventCount() {
    return eventCount;
  }

  /** The number of lanes: one per thread. */
  public int laneCount() {
    return names.length;
  }

  /** Lane {@code lane}'s thread name. */
  public String name(int lane) {
    return names[lane];
  }

  /** Lane {@code lane}'s thread id. */
  public int threadId(int lane) {
    return threadIds[lane];
  }

  /** The events lane {@code lane}'s blocks hold. */
  public long events(int lane) {
    return laneEvents[lane];
  }

  /**
   * Bins lane {@code lane}'s events into {@code columns} equal columns of {@code [from, to)}:
   * {@code out[at + c]} becomes the number of events (a fraction where a block straddles columns)
   * whose block spreads them over column {@code c}. A block wholly inside the window adds its
   * whole count across the columns; one that sticks out adds only its share inside.
   *
   * @return the largest column's value
   */
  public double density(int lane, double from, double to, double[] out, int at, int columns) {
    Arrays.fill(out, at, at + columns, 0);
    if (columns <= 0 || to <= from) {
      return 0;
    }
    double perColumn = (to - from) / columns;
    long[] s = starts[lane];
    long[] e = ends[lane];
    int[] c = counts[lane];
    for (int k = 0; k < s.length && s[k] < to; k++) {
      // A block covers [start, end + 1): its last nanosecond counts, and a block of one
      // instant is one nanosecond wide rather than nothing.
      double b0 = s[k];
      double b1 = e[k] + 1.0;
      if (b1 <= from) {
        continue;
      }
      double rate = c[k] / (b1 - b0);
      double lo = Math.max(b0, from);
      double hi = Math.min(b1, to);
      int col0 = (int) Math.min(columns - 1, Math.floor((lo - from) / perColumn));
      int col1 = (int) Math.min(columns - 1, Math.floor((hi - from) / perColumn));
      if (col0 == col1) {
        out[at + col0] += rate * (hi - lo);
        continue;
      }
      out[at + col0] += rate * (from + (col0 + 1) * perColumn - lo);
      double full = rate * perColumn;
      for (int col = col0 + 1; col < col1; col++) {
        out[at + col] += full;
      }
      out[at + col1] += rate * (hi - (from + col1 * perColumn));
    }
    double max = 0;
    for (int col = 0; col < columns; col++) {
      max = Math.max(max, out[at + col]);
    }
    return max;
  }
}
