package io.kallisto.visualizer.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thread of a trace: its slices (poll, work, callbacks, spans) stacked into rows by nesting,
 * and its instants and counters. Everything is columnar: a 10-million-event trace is a few
 * dozen primitive arrays, not millions of objects.
 *
 * <p>Slices arrive in recording order (a slice is recorded when it ends, so inner callbacks
 * come before the work slice around them). Sealing stacks them into rows and stores each row as
 * one contiguous, start-sorted stretch of the columns: the renderer's searches then walk one
 * array without indirection. Slices in one row never overlap, so a row is sorted by end as
 * well, which is what the binary searches below rely on.
 *
 * <p>Row 0 is the outermost level: poll and work slices of a loop thread (or a span around
 * them). Callbacks run inside work, so they sit in row 1, and a callback nested in another
 * callback one row further down.
 */
public final class Lane {
  /** The deepest nesting shown; deeper slices are counted in {@link #hiddenSlices()}. */
  public static final int MAX_ROWS = 32; // room for 16 connections' requests in flight
  /** Slices per sampled prefix sum and per sampled start. */
  public static final int SAMPLE = PrimitiveSort.SAMPLE;

  private final int index;
  private final int threadId;
  private final String name;

  /** A {@link #dur} entry saying the duration is too long for an int: see {@link #longDur}. */
  private static final int LONG_DURATION = Integer.MAX_VALUE;

  // Columns, one entry per slice. Filled in recording order; seal() reorders them row by row,
  // each row sorted by start, so that a row is one contiguous stretch of every column. A
  // slice's end is its start plus its duration, kept as an int: 4 bytes a slice rather than 8,
  // with the rare slice of 2.1 s or more (a long poll wait, a whole-run span) in longDur.
  long[] start;
  private int[] dur;
  long[] aux;
  /**
   * Label string ids, as chars while every id fits in 16 bits (a trace interns a few hundred
   * strings, not 65,536): 2 bytes a slice. The first larger id widens them to {@link #wideLabel}.
   */
  private char[] label;
  private int[] wideLabel;
  byte[] cat;
  int slices;
  /** The slices whose duration is LONG_DURATION or more, ascending, and their durations. */
  private int[] longAt = new int[0];
  private long[] longDur = new long[0];
  private int longs;

  /**
   * Row r holds slices [rowOffset[r], rowOffset[r + 1]); hidden slices come after the last. A
   * slice's row is found here rather than kept per slice: rows are few.
   */
  private int[] rowOffset = {0};
  /** [row]: the start of every SAMPLE-th slice of the row, for searching in a small array. */
  private long[][] sampleStart = new long[0][];
  /** [row][category]: busy ns of that category before every SAMPLE-th slice of the row. */
  private long[][][] rowCum = new long[0][][];
  private int hidden;

  final Instants posts;
  final Instants marks;
  final Instants slots;
  final Map<String, Series> counters = new LinkedHashMap<>();
  Series connections;
  /** True for the lane of a load generator's requests (client side), not a thread's slices. */
  boolean clientRequests;

  /** Post callbacks sorted by flow id, for joining a post to its run. */
  private FlowIndex postIndex;
  /** Slot update callbacks sorted by flow id, for joining a slot set to each worker's update. */
  private FlowIndex slotIndex;

  Lane(int index, int threadId, String name, int sliceCapacity, int posts, int marks,
      int slots) {
    this.index = index;
    this.threadId = threadId;
    this.name = name;
    start = new long[sliceCapacity];
    dur = new int[sliceCapacity];
    aux = new long[sliceCapacity];
    label = new char[sliceCapacity];
    cat = new byte[sliceCapacity];
    this.posts = new Instants(posts);
    this.marks = new Instants(marks);
    this.slots = new Instants(slots);
  }

  void addSlice(long s, long e, SliceCategory c, int labelId, long auxValue) {
    int i = slices++;
    start[i] = s;
    long d = Math.max(0, e - s);
    if (d >= LONG_DURATION) {
      if (longs == longAt.length) {
        longAt = java.util.Arrays.copyOf(longAt, Math.max(4, 2 * longs));
        longDur = java.util.Arrays.copyOf(longDur, longAt.length);
      }
      longAt[longs] = i;
      longDur[longs++] = d;
      d = LONG_DURATION;
    }
    dur[i] = (int) d;
    cat[i] = (byte) c.ordinal();
    if (wideLabel != null) {
      wideLabel[i] = labelId;
    } else if (labelId >= 0 && labelId <= Character.MAX_VALUE) {
      label[i] = (char) labelId;
    } else {
      wideLabel = new int[label.length];
      for (int k = 0; k < i; k++) {
        wideLabel[k] = label[k];
      }
      label = null;
      wideLabel[i] = labelId;
    }
    aux[i] = auxValue;
  }

  /** Stacks the slices into rows and builds the indexes. Called once, after the last add. */
  void seal() {
    assignRows();
    buildPrefixSums();
    buildPostIndex();
    posts.seal();
    marks.seal();
    slots.seal();
  }

  /**
   * Nesting depth first, walking backwards (outer slices end later, so each is met before what
   * it contains): a stack of the enclosing slices gives each slice its depth. Then forwards,
   * each slice goes to the row of its depth, or further down if it would overlap the row's last
   * slice, so that no row ever holds overlapping slices, whatever the trace says.
   */
  private void assignRows() {
    byte[] row = new byte[slices];
    int[] stack = new int[MAX_ROWS];
    int sp = 0;
    for (int i = slices - 1; i >= 0; i--) {
      while (sp > 0 && (start[stack[sp - 1]] > start[i] || end(stack[sp - 1]) < end(i))) {
        sp--;
      }
      row[i] = (byte) Math.min(sp, MAX_ROWS - 1);
      if (sp < MAX_ROWS) {
        stack[sp++] = i;
      }
    }
    long[] lastEnd = new long[MAX_ROWS];
    java.util.Arrays.fill(lastEnd, Long.MIN_VALUE);
    int[] counts = new int[MAX_ROWS];
    int used = 0;
    for (int i = 0; i < slices; i++) {
      int r = row[i];
      while (r < MAX_ROWS && start[i] < lastEnd[r]) {
        r++;
      }
      if (r == MAX_ROWS) {
        row[i] = -1;
        hidden++;
        continue;
      }
      row[i] = (byte) r;
      lastEnd[r] = end(i);
      counts[r]++;
      used = Math.max(used, r + 1);
    }
    rowOffset = new int[used + 1];
    for (int r = 0; r < used; r++) {
      rowOffset[r + 1] = rowOffset[r] + counts[r];
    }
    // New place of each slice: its row's stretch, in recording order, which is start order
    // within a row; hidden slices after every row.
    int[] fill = java.util.Arrays.copyOf(rowOffset, used + 1);
    int hiddenAt = rowOffset[used];
    int[] perm = new int[slices]; // perm[new] = old
    for (int i = 0; i < slices; i++) {
      int r = row[i];
      perm[r >= 0 ? fill[r]++ : hiddenAt++] = i;
    }
    row = null;
    // One column at a time, each old one dropped as its new one is made: the peak is one
    // column more than the model, not two models.
    start = PrimitiveSort.apply(java.util.Arrays.copyOf(start, slices), perm);
    dur = PrimitiveSort.apply(java.util.Arrays.copyOf(dur, slices), perm);
    aux = PrimitiveSort.apply(java.util.Arrays.copyOf(aux, slices), perm);
    if (wideLabel != null) {
      wideLabel = PrimitiveSort.apply(java.util.Arrays.copyOf(wideLabel, slices), perm);
    } else {
      label = PrimitiveSort.apply(java.util.Arrays.copyOf(label, slices), perm);
    }
    cat = PrimitiveSort.apply(java.util.Arrays.copyOf(cat, slices), perm);
    moveLongDurations(perm);
  }

  /** Renumbers the long durations by their slices' new places ({@code perm[new] = old}). */
  private void moveLongDurations(int[] perm) {
    if (longs == 0) {
      longAt = new int[0];
      longDur = new long[0];
      return;
    }
    int[] at = new int[longs];
    long[] d = new long[longs];
    int n = 0;
    for (int i = 0; i < slices; i++) {
      if (dur[i] == LONG_DURATION) {
        // the old place is among longAt, ascending: a binary search, for a handful of slices
        int k = java.util.Arrays.binarySearch(longAt, 0, longs, perm[i]);
        at[n] = i;
        d[n++] = longDur[k];
      }
    }
    longAt = at;
    longDur = d;
  }

  private void buildPrefixSums() {
    int cats = SliceCategory.count();
    int rows = rowCount();
    rowCum = new long[rows][cats][];
    sampleStart = new long[rows][];
    for (int r = 0; r < rows; r++) {
      int base = rowOffset[r];
      int n = rowSize(r);
      boolean[] present = new boolean[cats];
      for (int i = base; i < base + n; i++) {
        present[cat[i]] = true;
      }
      long[] running = new long[cats];
      for (int c = 0; c < cats; c++) {
        if (present[c]) {
          rowCum[r][c] = new long[n / SAMPLE + 1];
        }
      }
      sampleStart[r] = new long[(n + SAMPLE - 1) / SAMPLE];
      for (int k = 0; k < n; k++) {
        if (k % SAMPLE == 0) {
          sampleStart[r][k / SAMPLE] = start[base + k];
          for (int c = 0; c < cats; c++) {
            if (present[c]) {
              rowCum[r][c][k / SAMPLE] = running[c];
            }
          }
        }
        running[cat[base + k]] += duration(base + k);
      }
      if (n % SAMPLE == 0) {
        for (int c = 0; c < cats; c++) {
          if (present[c]) {
            rowCum[r][c][n / SAMPLE] = running[c];
          }
        }
      }
    }
  }

  private void buildPostIndex() {
    postIndex = new FlowIndex(this, SliceCategory.POST_CALLBACK);
    slotIndex = new FlowIndex(this, SliceCategory.SLOT_CALLBACK);
  }

  /** Callbacks of one category sorted by flow id ({@code aux}). */
  private static final class FlowIndex {
    final long[] flows;
    final int[] slice;

    FlowIndex(Lane lane, SliceCategory c) {
      int n = 0;
      for (int i = 0; i < lane.slices; i++) {
        if (lane.cat[i] == c.ordinal() && lane.aux[i] != 0) {
          n++;
        }
      }
      long[] f = new long[n];
      int[] s = new int[n];
      n = 0;
      for (int i = 0; i < lane.slices; i++) {
        if (lane.cat[i] == c.ordinal() && lane.aux[i] != 0) {
          f[n] = lane.aux[i];
          s[n++] = i;
        }
      }
      int[] perm = PrimitiveSort.order(f, n); // already sorted for one FIFO queue
      flows = perm == null ? f : PrimitiveSort.apply(f, perm);
      slice = perm == null ? s : PrimitiveSort.apply(s, perm);
    }

    int find(long flow) {
      int k = PrimitiveSort.lowerBound(flows, 0, flows.length, flow);
      return k < flows.length && flows[k] == flow ? slice[k] : -1;
    }
  }

  // ---- identity --------------------------------------------------------------------------------

  /** This lane's position in {@link TraceModel#lanes()}. */
  public int index() {
    return index;
  }

  /** The thread's id in the trace's thread table. */
  public int threadId() {
    return threadId;
  }

  /** The thread's name from the trace's thread table. */
  public String name() {
    return name;
  }

  /**
   * True if this lane holds the requests a load generator's thread sent, each from its send to
   * its response (the client side); its thread's own slices are on the lane before it.
   */
  public boolean holdsClientRequests() {
    return clientRequests;
  }

  // ---- slices ----------------------------------------------------------------------------------

  /** Slices on this lane, in recording order (hidden ones included). */
  public int sliceCount() {
    return slices;
  }

  /** Slices nested deeper than {@link #MAX_ROWS}, which are not shown. */
  public int hiddenSlices() {
    return hidden;
  }

  /** Slice {@code i}'s start, trace nanoseconds. */
  public long start(int i) {
    return start[i];
  }

  /** Slice {@code i}'s end. */
  public long end(int i) {
    return start[i] + duration(i);
  }

  /** Slice {@code i}'s duration. */
  public long duration(int i) {
    int d = dur[i];
    return d != LONG_DURATION ? d : longDur[java.util.Arrays.binarySearch(longAt, 0, longs, i)];
  }

  /** Slice {@code i}'s category. */
  public SliceCategory category(int i) {
    return SliceCategory.of(cat[i]);
  }

  /** Slice {@code i}'s label string id (0 for none). */
  public int labelId(int i) {
    return wideLabel != null ? wideLabel[i] : label[i];
  }

  /**
   * Slice {@code i}'s record field b: the flow id of post and slot callbacks, a timer's
   * deadline, a file event's fd, a poll's earliest timer deadline.
   */
  public long aux(int i) {
    return aux[i];
  }

  /** The row slice {@code i} is drawn in, or -1 if it is hidden. */
  public int rowOf(int i) {
    int rows = rowCount();
    if (i >= rowOffset[rows]) {
      return -1; // hidden: after every row
    }
    int r = 0;
    while (rowOffset[r + 1] <= i) {
      r++; // at most MAX_ROWS steps
    }
    return r;
  }

  /** Rows of slices. */
  public int rowCount() {
    return rowOffset.length - 1;
  }

  /** Slices in row {@code r}. */
  public int rowSize(int r) {
    return rowOffset[r + 1] - rowOffset[r];
  }

  /** The slice index of the {@code k}-th slice (by start) in row {@code r}. */
  public int sliceAt(int r, int k) {
    return rowOffset[r] + k;
  }

  /** Position in row {@code r} of the first slice that ends after {@code t}. */
  public int firstEndingAfter(int r, long t) {
    int lo = rowOffset[r];
    int hi = rowOffset[r + 1];
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (end(mid) <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - rowOffset[r];
  }

  /**
   * Position in row {@code r}, at or after {@code from}, of the first slice starting at or after
   * {@code t}. Searches the row's every-{@value #SAMPLE}th starts forwards from {@code from} in
   * doubling steps, then the last few slices: stepping from one pixel column to the next
   * touches a few neighbouring cache lines, however many slices the column holds.
   */
  public int firstStartingAtOrAfter(int r, long t, int from) {
    int base = rowOffset[r];
    if (from >= rowSize(r) || start[base + from] >= t) {
      return from;
    }
    long[] samples = sampleStart[r];
    // the last sample before t, at or after from's sample: the answer lies within SAMPLE of it
    int s = PrimitiveSort.gallop(samples, from / SAMPLE, samples.length, t) - 1;
    int lo = Math.max(from, s * SAMPLE);
    int hi = Math.min(rowSize(r), (s + 1) * SAMPLE + 1);
    return PrimitiveSort.lowerBound(start, base + lo, base + hi, t) - base;
  }

  /**
   * The first position after {@code from} that is a multiple of {@value #SAMPLE} and whose slice
   * starts at or after {@code t}, or {@link #rowSize}: a boundary found from the sampled starts
   * alone, which lets a zoomed-out view sum whole samples from the prefix sums without reading a
   * single slice.
   */
  public int sampleBoundary(int r, long t, int from) {
    long[] samples = sampleStart[r];
    int s = PrimitiveSort.gallop(samples, from / SAMPLE + 1, samples.length, t);
    return Math.min(rowSize(r), s * SAMPLE);
  }

  /**
   * The start of the {@code k}-th slice of row {@code r}: the same as
   * {@code start(sliceAt(r, k))}, read from the small array of sampled starts when {@code k} is
   * a multiple of {@value #SAMPLE}, as {@link #sampleBoundary} positions are.
   */
  public long startAt(int r, int k) {
    return k % SAMPLE == 0 ? sampleStart[r][k / SAMPLE] : start[rowOffset[r] + k];
  }

  /** The position in row {@code r} of the slice covering {@code t}, or -1. */
  public int positionAt(int r, long t) {
    int k = firstEndingAfter(r, t);
    return k < rowSize(r) && start[rowOffset[r] + k] <= t ? k : -1;
  }

  /** The deepest slice covering {@code t} (the callback a post was made from), or -1. */
  public int innermostAt(long t) {
    for (int r = rowCount() - 1; r >= 0; r--) {
      int k = positionAt(r, t);
      if (k >= 0) {
        return rowOffset[r] + k;
      }
    }
    return -1;
  }

  /**
   * The slice of row {@code r} under time {@code t}, or the nearest one within
   * {@code tolerance} nanoseconds (a slice thinner than a pixel is still clickable), or -1.
   */
  public int sliceNear(int r, double t, double tolerance) {
    if (r < 0 || r >= rowCount()) {
      return -1;
    }
    int k = firstEndingAfter(r, (long) Math.floor(t - tolerance));
    int best = -1;
    double bestDistance = Double.MAX_VALUE;
    for (int m = k; m < rowSize(r) && m < k + 64; m++) {
      int i = rowOffset[r] + m;
      if (start[i] > t + tolerance) {
        break;
      }
      long e = end(i);
      double d = t < start[i] ? start[i] - t : t > e ? t - e : 0;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return bestDistance <= tolerance ? best : -1;
  }

  /** The earliest slice start or end after {@code t}, or {@code Long.MAX_VALUE}. */
  long nextBoundary(long t) {
    long next = Long.MAX_VALUE;
    for (int r = 0; r < rowCount(); r++) {
      int k = firstEndingAfter(r, t);
      if (k < rowSize(r)) {
        int i = rowOffset[r] + k;
        next = Math.min(next, start[i] > t ? start[i] : end(i));
      }
    }
    return next;
  }

  /** The latest slice start or end before {@code t}, or {@code Long.MIN_VALUE}. */
  long previousBoundary(long t) {
    long prev = Long.MIN_VALUE;
    for (int r = 0; r < rowCount(); r++) {
      int k = firstStartingAtOrAfter(r, t, 0) - 1; // the last slice starting before t
      if (k >= 0) {
        int i = rowOffset[r] + k;
        prev = Math.max(prev, end(i) < t ? end(i) : start[i]);
      }
    }
    return prev;
  }

  /**
   * Adds the busy nanoseconds of each category over positions {@code [from, to)} of row
   * {@code r} into {@code perCategory}. Costs at most 2 x {@value #SAMPLE} slices plus two
   * lookups per category, however long the range.
   */
  public void addBusy(int r, int from, int to, long[] perCategory) {
    int base = rowOffset[r];
    if (to - from < 2 * SAMPLE) {
      for (int i = base + from; i < base + to; i++) {
        perCategory[cat[i]] += duration(i);
      }
      return;
    }
    int lo = (from + SAMPLE - 1) / SAMPLE;
    int hi = to / SAMPLE;
    for (int i = base + from; i < base + lo * SAMPLE; i++) {
      perCategory[cat[i]] += duration(i);
    }
    long[][] cum = rowCum[r];
    for (int c = 0; c < cum.length; c++) {
      if (cum[c] != null) {
        perCategory[c] += cum[c][hi] - cum[c][lo];
      }
    }
    for (int i = base + hi * SAMPLE; i < base + to; i++) {
      perCategory[cat[i]] += duration(i);
    }
  }

  /** The slice index of the post callback that ran flow {@code flow}, or -1. */
  public int postCallbackOf(long flow) {
    return postIndex.find(flow);
  }

  /** The slice index of this lane's update for slot flow {@code flow}, or -1. */
  public int slotCallbackOf(long flow) {
    return slotIndex.find(flow);
  }

  // ---- instants and counters ---------------------------------------------------------------------

  /**
   * The {@code post()} calls this thread made: {@code id} the target dispatcher's trace id,
   * {@code kind} 1 if the post wrote a wakeup (0: avoided), {@code b} the flow id.
   */
  public Instants posts() {
    return posts;
  }

  /** Marks ({@code Tracing.mark}): {@code id} is the label. */
  public Instants marks() {
    return marks;
  }

  /** Slot updates started ({@code kind} 0) and completed ({@code kind} 1); {@code b} the flow. */
  public Instants slots() {
    return slots;
  }

  /** Counters this thread sampled, by name (e.g. {@code queue depth}). */
  public Map<String, Series> counters() {
    return Collections.unmodifiableMap(counters);
  }

  /** Connections open on this thread over time, or {@code null} if it opened none. */
  public Series connections() {
    return connections;
  }

  @Override
  public String toString() {
    return name + "[" + slices + " slices in " + rowCount() + " rows]";
  }
}
