package io.kallisto.visualizer.model;

import java.util.Locale;

/**
 * Slices whose label contains a text, ignoring case. Labels are interned, so the text is
 * matched once per distinct label; each lane then lists its matching slices sorted by start,
 * for highlighting and for jumping from one match to the next.
 */
public final class Search {
  private final String text;
  private final boolean[] labelMatches;
  private final int[][] matches;
  private final long total;

  private Search(String text, boolean[] labelMatches, int[][] matches, long total) {
    this.text = text;
    this.labelMatches = labelMatches;
    this.matches = matches;
    this.total = total;
  }

  /** Finds the slices of {@code model} whose label contains {@code text}. */
  public static Search of(TraceModel model, String text) {
    String needle = text.toLowerCase(Locale.ROOT);
    boolean[] hit = new boolean[model.stringCount()];
    for (int id = 1; id < hit.length; id++) {
      hit[id] = !needle.isEmpty() && model.string(id).toLowerCase(Locale.ROOT).contains(needle);
    }
    int[][] matches = new int[model.lanes().size()][];
    long total = 0;
    for (Lane lane : model.lanes()) {
      int n = 0;
      for (int i = 0; i < lane.sliceCount(); i++) {
        if (matches(hit, lane.labelId(i)) && lane.rowOf(i) >= 0) {
          n++;
        }
      }
      int[] list = new int[n];
      long[] starts = new long[n];
      n = 0;
      for (int i = 0; i < lane.sliceCount(); i++) {
        if (matches(hit, lane.labelId(i)) && lane.rowOf(i) >= 0) {
          starts[n] = lane.start(i);
          list[n++] = i;
        }
      }
      int[] perm = PrimitiveSort.order(starts, n);
      matches[lane.index()] = perm == null ? list : PrimitiveSort.apply(list, perm);
      total += n;
    }
    return new Search(text, hit, matches, total);
  }

  private static boolean matches(boolean[] hit, int id) {
    return id > 0 && id < hit.length && hit[id];
  }

  /** The text searched for. */
  public String text() {
    return text;
  }

  /** True if label {@code labelId} matches. */
  public boolean matchesLabel(int labelId) {
    return matches(labelMatches, labelId);
  }

  /** Matching slices in all lanes. */
  public long total() {
    return total;
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

  /** The first match starting after {@code t} on any lane, or {@code null}. */
  public SliceRef next(TraceModel model, long t) {
    SliceRef best = null;
    long bestStart = Long.MAX_VALUE;
    for (Lane lane : model.lanes()) {
      int[] m = matches[lane.index()];
      int k = firstAtOrAfter(lane, t + 1);
      if (k < m.length && lane.start(m[k]) < bestStart) {
        bestStart = lane.start(m[k]);
        best = new SliceRef(lane.index(), m[k]);
      }
    }
    return best;
  }

  /** The last match starting before {@code t} on any lane, or {@code null}. */
  public SliceRef previous(TraceModel model, long t) {
    SliceRef best = null;
    long bestStart = Long.MIN_VALUE;
    for (Lane lane : model.lanes()) {
      int[] m = matches[lane.index()];
      int k = firstAtOrAfter(lane, t) - 1;
      if (k >= 0 && lane.start(m[k]) > bestStart) {
        bestStart = lane.start(m[k]);
        best = new SliceRef(lane.index(), m[k]);
      }
    }
    return best;
  }
}
