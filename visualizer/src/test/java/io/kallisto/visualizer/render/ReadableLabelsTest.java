package io.kallisto.visualizer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.CounterTrack;
import io.kallisto.visualizer.model.TimelineLayout;
import io.kallisto.visualizer.model.TraceModel;
import io.kallisto.visualizer.model.ViewState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels stay readable: ruler labels inside the view and clear of the range's length, and no
 * two counter tracks cut to the same name.
 */
class ReadableLabelsTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static TraceModel known;
  private static TraceModel hol;

  @BeforeAll
  static void load() throws Exception {
    known = TraceModel.load(TestTraces.known(dir.resolve("known.ktrace")));
    hol = TraceModel.load(assertTimeoutPreemptively(LIMIT,
        () -> TestTraces.headOfLine(dir.resolve("hol.ktrace"))));
  }

  /** The texts the renderer drew in the ruler, right of the label column. */
  private static List<RecordingSurface.Text> rulerTexts(ViewState s, int w, int h) {
    RecordingSurface g = new RecordingSurface(w, h);
    TimelineLayout layout = s.layout(w, h);
    new TimelineRenderer().draw(s, layout, g);
    List<RecordingSurface.Text> out = new ArrayList<>();
    for (RecordingSurface.Text t : g.texts) {
      if (t.y() <= layout.rulerHeight() && t.x() >= layout.timelineLeft()) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void shouldKeepEveryRulerLabelInsideTheViewAndClearOfTheRangeLength() {
    int w = 1000;
    int h = 500;
    long[][] views = {{0, 10_000}, {0, 9_999}, {1234, 5678}, {9000, 10_000}, {-300, 10_300},
        {3, 37}, {7_777, 9_123}};
    int checked = 0;
    int ranges = 0;
    for (long[] v : views) {
      for (int r = 0; r < 5; r++) {
        ViewState s = new ViewState(known);
        s.show(v[0], v[1]);
        long span = v[1] - v[0];
        // no range; one at the left edge, one in the middle, one running past the right edge,
        // one wholly after the view
        if (r == 1) {
          s.selectRange(v[0], v[0] + span / 20 + 1);
        } else if (r == 2) {
          s.selectRange(v[0] + span / 3, v[0] + span / 2);
        } else if (r == 3) {
          s.selectRange(v[1] - span / 50 - 1, v[1] + span);
        } else if (r == 4) {
          s.selectRange(v[1] + span, v[1] + 2 * span);
        }
        TimelineLayout layout = s.layout(w, h);
        List<RecordingSurface.Text> texts = rulerTexts(s, w, h);
        RecordingSurface.Text length = null;
        for (RecordingSurface.Text t : texts) {
          assertTrue(t.x() >= layout.timelineLeft() && t.right() <= w,
              "'" + t.text() + "' at " + t.x() + ".." + t.right() + " inside ["
              + layout.timelineLeft() + ", " + w + "] for " + v[0] + ".." + v[1]);
          checked++;
          if (t.bold()) {
            length = t;
          }
        }
        if (r == 4) {
          assertTrue(length == null, "no length for a range out of view: " + length);
        } else if (s.hasRange()) {
          ranges++;
          assertTrue(length != null, "the range's length is written");
          for (RecordingSurface.Text t : texts) {
            if (t != length) {
              assertTrue(t.right() <= length.x() || t.x() >= length.right(),
                  "tick label '" + t.text() + "' " + t.x() + ".." + t.right()
                  + " clear of the length '" + length.text() + "' " + length.x() + ".."
                  + length.right());
            }
          }
        }
      }
    }
    assertTrue(checked > 100, "labels checked: " + checked);
    assertEquals(3 * 7, ranges);
  }

  private static String last(String s) {
    return s.substring(s.length() - 1);
  }

  @Test
  void shouldNeverCutTwoTrackNamesToTheSameText() {
    // Pinned, a worker's tracks are named in full ("open connections · worker-0"), which is
    // too long for the label column: the two cuts must still differ.
    ViewState s = new ViewState(hol);
    List<Integer> pinned = new ArrayList<>();
    for (CounterTrack t : hol.counterTracks()) {
      if (t.name().equals("open connections")) {
        s.togglePinned(t.index());
        pinned.add(t.index());
      }
    }
    assertEquals(2, pinned.size(), "a track per worker");
    for (int w : new int[] {1400, 500, 330}) {
      RecordingSurface g = new RecordingSurface(w, 700);
      TimelineLayout layout = s.layout(w, 700);
      new TimelineRenderer().draw(s, layout, g);
      List<String> names = new ArrayList<>();
      for (RecordingSurface.Text t : g.texts) {
        if (t.x() < layout.labelWidth() && t.y() > layout.pinnedTop()
            && t.y() < layout.pinnedTop() + layout.pinnedHeight()) {
          names.add(t.text());
          assertTrue(t.right() <= layout.labelWidth(), "'" + t.text() + "' fits its column");
        }
      }
      assertEquals(2, names.size(), "both pinned tracks named at width " + w + ": " + names);
      assertNotEquals(names.get(0), names.get(1), "at width " + w);
      // Lanes come in the order threads first recorded, so either worker may be first.
      assertEquals(java.util.Set.of("0", "1"), java.util.Set.of(last(names.get(0)),
          last(names.get(1))), "cut in the middle, keeping the worker: " + names);
    }
  }
}
