package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything whose name contains a text, ignoring case, as one numbered list of results:
 * first the threads whose name matches, then the counter tracks, then the slices in time order
 * (ties by lane, then by row). A slice matches by what the timeline prints on it and what the
 * details call it: its label ({@code connection}, {@code handle A}), the name a slice without
 * a label is shown by ({@code poll wait}, {@code work}), its kind ({@code timer callback}) and,
 * for a request, its kind ({@code sleep request}). A text that is a number (optionally with a
 * leading {@code #}) also finds the requests with that id, on every side that recorded one.
 *
 * <p>Labels and kinds are matched once each, not once per slice, and each lane lists its
 * matching slices sorted by start; so the {@code k}-th result and the position of a slice among
 * the results are binary searches, and a results list of millions costs nothing until shown.
 * Immutable; any thread may read it.
 */
public final class Search {
  /** What a result is. */
  public enum Kind {
    /** A thread, by its name. */
    THREAD,
    /** A counter track, by its name. */
    COUNTER,
    /** A slice. */
    SLICE
  }

  /**
   * One result: a thread ({@code lane}), a counter track ({@code track}, an index into
   * {@link TraceModel#counterTracks()}) or a slice ({@code lane} and {@code slice}); the fields
   * that do not apply are -1.
   */
  public record Result(Kind kind, int lane, int track, int slice) {
    /** The slice, for a slice result, or {@code null}. */
    public SliceRef sliceRef() {
      return kind == Kind.SLICE ? new SliceRef(lane, slice) : null;
    }
  }

  private final TraceModel model;
  private final String text;
  private final boolean[] labelHit;
  private final boolean[] categoryHit;
  private final boolean[] fallbackHit;
  private final boolean[] requestKindHit;
  private final long requestId;
  private final int[] threads;
  private final int[] counters;
  private final int[][] matches;
  private final long sliceTotal;
  private final long firstStart;
  private final long lastStart;

  private Search(TraceModel model, String text) {
    this.model = model;
    this.text = text;
    String needle = text.toLowerCase(Locale.ROOT);
    labelHit = new boolean[model.stringCount()];
    for (int id = 1; id < labelHit.length; id++) {
      labelHit[id] = contains(model.string(id), needle);
    }
    int cats = SliceCategory.count();
    categoryHit = new boolean[cats];
    fallbackHit = new boolean[cats];
    for (int c = 0; c < cats; c++) {
      categoryHit[c] = contains(SliceCategory.of(c).label(), needle);
      fallbackHit[c] = contains(SliceDetails.fallbackLabel(SliceCategory.of(c)), needle);
    }
    requestKindHit = new boolean[256];
    for (int k = 0; k < requestKindHit.length; k++) {
      requestKindHit[k] = contains(SliceDetails.requestLabel(k), needle);
    }
    requestId = parseId(text);
    List<Integer> t = new ArrayList<>();
    for (Lane lane : model.lanes()) {
      if (contains(lane.name(), needle)) {
        t.add(lane.index());
      }
    }
    threads = t.stream().mapToInt(Integer::intValue).toArray();
    List<Integer> c = new ArrayList<>();
    for (CounterTrack track : model.counterTracks()) {
      if (contains(track.name(), needle)) {
        c.add(track.index());
      }
    }
    counters = c.stream().mapToInt(Integer::intValue).toArray();
    matches = new int[model.lanes().size()][];
    long total = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Lane lane : model.lanes()) {
      int[] list = sliceMatches(lane);
      matches[lane.index()] = list;
      total += list.length;
      if (list.length > 0) {
        first = Math.min(first, lane.start(list[0]));
        last = Math.max(last, lane.start(list[list.length - 1]));
      }
    }
    sliceTotal = total;
    firstStart = first;
    lastStart = last;
  }

  private static boolean contains(String haystack, String needle) {
    return !needle.isEmpty() && haystack.toLowerCase(Locale.ROOT).contains(needle);
  }

  /** The id a text names ({@code 412}, {@code #412}, {@code 1,412}), or -1 if it is no number. */
  static long parseId(String text) {
    String digits = text.strip();
    if (digits.startsWith("#")) {
      digits = digits.substring(1);
    }
    digits = digits.replace(",", "").replace("_", "");
    if (digits.isEmpty() || digits.length() > 18) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(digits);
  }

  /** The matching, shown slices of {@code lane}, sorted by start. */
  private int[] sliceMatches(Lane lane) {
    int n = 0;
    for (int i = 0; i < lane.sliceCount(); i++) {
      if (matches(lane, i) && lane.rowOf(i) >= 0) {
        n++;
      }
    }
    int[] list = new int[n];
    long[] starts = new long[n];
    n = 0;
    for (int i = 0; i < lane.sliceCount(); i++) {
      if (matches(lane, i) && lane.rowOf(i) >= 0) {
        starts[n] = lane.start(i);
        list[n++] = i;
      }
    }
    int[] perm = PrimitiveSort.order(starts, n);
    return perm == null ? list : PrimitiveSort.apply(list, perm);
  }

  /** Searches {@code model} for {@code text}. */
  public static Search of(TraceModel model, String text) {
    return new Search(model, text);
  }

  /** The text searched for. */
  public String text() {
    return text;
  }

  /**
   * True if slice {@code i} of {@code lane} matches. Allocates nothing and costs a few array
   * reads: the renderer asks it for every slice it draws.
   */
  public boolean matches(Lane lane, int i) {
    int c = lane.cat[i];
    if (categoryHit[c]) {
      return true;
    }
    int id = lane.labelId(i);
    if (id > 0 ? id < labelHit.length && labelHit[id] : fallbackHit[c]) {
      return true;
    }
    if (c == SliceCategory.REQUEST.ordinal()) {
      long aux = lane.aux[i];
      return requestKindHit[SliceDetails.requestKindCode(aux)]
          || (requestId >= 0 && SliceDetails.requestId(aux) == requestId);
    }
    return false;
  }

  /** Every result: threads, counter tracks and slices. */
  public long total() {
    return threads.length + counters.length + sliceTotal;
  }

  /** The slices among the results. */
  public long sliceTotal() {
    return sliceTotal;
  }

  /** The threads and counter tracks among the results; they come before the slices. */
  public int trackTotal() {
    return threads.length + counters.length;
  }

  /** Matching slices of lane {@code lane}, sorted by start: slice indices. */
  public int[] matches(int lane) {
    return matches[lane];
  }

  /** The position in {@link #matches(int) matches(lane)} of the first starting at or after {@code t}. */
  public int firstAtOrAfter(Lane lane, long t) {
    int[] m = matches[lane.index()];
    int lo = 0;
    int hi = m.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (lane.start(m[mid]) < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Matching slices that start before {@code t}, over all lanes. */
  private long slicesBefore(long t) {
    long n = 0;
    for (Lane lane : model.lanes()) {
      n += firstAtOrAfter(lane, t);
    }
    return n;
  }

  /**
   * Result {@code k} (from 0 to {@link #total()}, exclusive). A slice is found by a binary
   * search over time, each step a binary search per lane.
   *
   * @throws IndexOutOfBoundsException naming {@code k} and the total when out of range
   */
  public Result result(long k) {
    if (k < 0 || k >= total()) {
      throw new IndexOutOfBoundsException("result " + k + " of " + total());
    }
    if (k < threads.length) {
      return new Result(Kind.THREAD, threads[(int) k], -1, -1);
    }
    k -= threads.length;
    if (k < counters.length) {
      int track = counters[(int) k];
      return new Result(Kind.COUNTER, model.counterTracks().get(track).lane(), track, -1);
    }
    k -= counters.length;
    // the earliest start t with more than k matches starting at or before it
    long lo = firstStart;
    long hi = lastStart;
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (slicesBefore(mid + 1) > k) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long r = k - slicesBefore(lo);
    for (Lane lane : model.lanes()) {
      int a = firstAtOrAfter(lane, lo);
      int b = firstAtOrAfter(lane, lo + 1);
      if (r < b - a) {
        return new Result(Kind.SLICE, lane.index(), -1, matches[lane.index()][a + (int) r]);
      }
      r -= b - a;
    }
    throw new IllegalStateException("result " + k + " not found"); // counts are consistent
  }

  /** The position of {@code ref} among the results, or -1 if it is not one. */
  public long indexOf(SliceRef ref) {
    Lane lane = model.lanes().get(ref.lane());
    long s = lane.start(ref.slice());
    int[] m = matches[lane.index()];
    int p = firstAtOrAfter(lane, s);
    while (p < m.length && m[p] != ref.slice() && lane.start(m[p]) == s) {
      p++;
    }
    if (p == m.length || m[p] != ref.slice()) {
      return -1;
    }
    long rank = trackTotal() + p;
    for (Lane other : model.lanes()) {
      if (other.index() < lane.index()) {
        rank += firstAtOrAfter(other, s + 1);
      } else if (other.index() > lane.index()) {
        rank += firstAtOrAfter(other, s);
      }
    }
    return rank;
  }

  /** The position of result {@code r} among the results, or -1 if it is not one. */
  public long indexOf(Result r) {
    switch (r.kind()) {
      case THREAD:
        return position(threads, r.lane());
      case COUNTER: {
        long p = position(counters, r.track());
        return p < 0 ? -1 : threads.length + p;
      }
      default:
        return indexOf(r.sliceRef());
    }
  }

  private static long position(int[] list, int value) {
    for (int i = 0; i < list.length; i++) {
      if (list[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** The position of the first slice result starting at or after {@code t}, or -1 if none. */
  public long firstSliceAtOrAfter(long t) {
    long before = slicesBefore(t);
    return before == sliceTotal ? -1 : trackTotal() + before;
  }

  /** The first match starting after {@code t} on any lane, or {@code null}. */
  public SliceRef next(long t) {
    long k = firstSliceAtOrAfter(t + 1);
    return k < 0 ? null : result(k).sliceRef();
  }

  /** The last match starting before {@code t} on any lane, or {@code null}. */
  public SliceRef previous(long t) {
    long before = slicesBefore(t);
    return before == 0 ? null : result(trackTotal() + before - 1).sliceRef();
  }
}
