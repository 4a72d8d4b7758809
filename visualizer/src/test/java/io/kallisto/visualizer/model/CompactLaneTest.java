package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A lane keeps a slice's end as an int duration, its label as a char and its row not at all;
 * these check the rare cases those forms must still hold exactly: a duration of 2.1 s or more,
 * a label id past 65,535, hidden slices.
 */
class CompactLaneTest {
  private static final long LONG = 3_000_000_000L; // 3 s: more than an int of nanoseconds

  @Test
  void shouldKeepTheExactEndOfSlicesLongerThanAnIntOfNanoseconds() {
    Lane lane = new Lane(0, 1, "t", 4, 0, 0, 0);
    lane.addSlice(100, 200, SliceCategory.WORK, 0, 0); // recording order: inner ones first
    lane.addSlice(LONG + 500, LONG + 700, SliceCategory.WORK, 0, 0);
    lane.addSlice(0, 2 * LONG + 7, SliceCategory.SPAN, 0, 0);
    lane.addSlice(2 * LONG + 10, 2 * LONG + 10 + Integer.MAX_VALUE, SliceCategory.SPAN, 0, 0);
    lane.seal();
    assertEquals(2, lane.rowCount());
    int outer = lane.sliceAt(0, 0);
    assertEquals(2 * LONG + 7, lane.end(outer));
    assertEquals(2 * LONG + 7, lane.duration(outer));
    int last = lane.sliceAt(0, 1);
    assertEquals(Integer.MAX_VALUE, lane.duration(last), "exactly the escape value");
    assertEquals(LONG + 700, lane.end(lane.sliceAt(1, 1)));
    assertEquals(1, lane.firstEndingAfter(0, 2 * LONG + 7), "searches read the long end");
    assertEquals(0, lane.positionAt(0, 2 * LONG + 6));
    long[] busy = new long[SliceCategory.count()];
    lane.addBusy(0, 0, 2, busy);
    assertEquals(2 * LONG + 7 + Integer.MAX_VALUE, busy[SliceCategory.SPAN.ordinal()]);
  }

  @Test
  void shouldKeepLabelIdsPastSixteenBits() {
    Lane lane = new Lane(0, 1, "t", 3, 0, 0, 0);
    lane.addSlice(0, 10, SliceCategory.SPAN, 7, 0);
    lane.addSlice(20, 30, SliceCategory.SPAN, 70_000, 0);
    lane.addSlice(40, 50, SliceCategory.SPAN, 65_535, 0);
    lane.seal();
    assertEquals(7, lane.labelId(0));
    assertEquals(70_000, lane.labelId(1));
    assertEquals(65_535, lane.labelId(2));
  }

  @Test
  void shouldFindEachSlicesRowAndNoneForHiddenOnes() {
    int deep = Lane.MAX_ROWS + 2;
    Lane lane = new Lane(0, 1, "t", deep, 0, 0, 0);
    for (int d = deep - 1; d >= 0; d--) { // innermost first, each inside the next
      lane.addSlice(d, 1000 - d, SliceCategory.SPAN, 0, 0);
    }
    lane.seal();
    assertEquals(Lane.MAX_ROWS, lane.rowCount());
    assertEquals(2, lane.hiddenSlices());
    for (int r = 0; r < lane.rowCount(); r++) {
      assertEquals(r, lane.rowOf(lane.sliceAt(r, 0)));
    }
    assertEquals(-1, lane.rowOf(deep - 1));
    assertEquals(-1, lane.rowOf(deep - 2));
  }
}
