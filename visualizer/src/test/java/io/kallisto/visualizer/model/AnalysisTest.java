package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.DirectStats;
import io.kallisto.visualizer.TestTraces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Range statistics, slice details, cursor states and search, on known and real traces. */
class AnalysisTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static TraceModel known;
  private static Path real;

  @BeforeAll
  static void load() throws Exception {
    known = TraceModel.load(TestTraces.known(dir.resolve("known.ktrace")));
    real = TestTraces.realRun(dir.resolve("real.ktrace"));
  }

  private static Lane lane(TraceModel m, String name) {
    return m.lanes().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  private static SliceRef slice(TraceModel m, String laneName, String label) {
    Lane lane = lane(m, laneName);
    for (int i = 0; i < lane.sliceCount(); i++) {
      if (m.string(lane.labelId(i)).equals(label)) {
        return new SliceRef(lane.index(), i);
      }
    }
    throw new AssertionError("no slice " + label + " on " + laneName);
  }

  @Test
  void shouldComputeBusyShareCallbackCountsAndPercentilesForARange() {
    // [1000, 7000): worker-0 polls 1000, works 4000, polls 1000 -> 4000 / 6000; three
    // callbacks of 1000 ns.
    RangeStats s = RangeStats.of(known, 1000, 7000);
    RangeStats.LaneStats w0 = s.lanes().get(lane(known, "worker-0").index());
    assertEquals(100.0 * 4000 / 6000, w0.busyPercent(), 1e-9);
    assertEquals(2, w0.callbacks(SliceCategory.POST_CALLBACK));
    assertEquals(1, w0.callbacks(SliceCategory.TIMER_CALLBACK));
    assertEquals(1000, w0.p50());
    assertEquals(1000, w0.p99());
    // worker-1 polls [1000, 5000) and works [5000, 7000): 2000 / 6000; "read" and "cfg" start
    // in the range: 3000 and 1000 ns, so p50 is the smaller by nearest rank.
    RangeStats.LaneStats w1 = s.lanes().get(lane(known, "worker-1").index());
    assertEquals(100.0 * 2000 / 6000, w1.busyPercent(), 1e-9);
    assertEquals(1, w1.callbacks(SliceCategory.FILE_CALLBACK));
    assertEquals(1, w1.callbacks(SliceCategory.SLOT_CALLBACK));
    assertEquals(1000, w1.p50());
    assertEquals(3000, w1.p99());
    // main's work ended at 1000: nothing of it is in the range.
    assertTrue(Double.isNaN(s.lanes().get(lane(known, "main").index()).busyPercent()));
  }

  @Test
  void shouldAgreeWithFiguresComputedStraightFromTheTraceFile() {
    assertTimeoutPreemptively(LIMIT, () -> {
      TraceModel m = TraceModel.load(real);
      long from = m.firstTime() + (m.lastTime() - m.firstTime()) / 4;
      long to = m.lastTime() - (m.lastTime() - m.firstTime()) / 4;
      RangeStats stats = RangeStats.of(m, from, to);
      for (Lane lane : m.lanes()) {
        DirectStats want = DirectStats.of(real, lane.threadId(), from, to);
        RangeStats.LaneStats got = stats.lanes().get(lane.index());
        assertEquals(want.busyPercent(), got.busyPercent(), 1e-9, lane.name());
        assertArrayEquals(want.callbacksByKind(), got.callbacksByKind(), lane.name());
        assertEquals(want.p50(), got.p50(), lane.name());
        assertEquals(want.p99(), got.p99(), lane.name());
      }
    });
  }

  @Test
  void shouldGiveAPostsQueueingDelayAndWhetherItWroteAWakeup() {
    List<SliceDetails.Entry> a = SliceDetails.of(known, slice(known, "worker-0", "handle A"));
    assertEquals("post callback", SliceDetails.value(a, SliceDetails.KIND));
    assertEquals("1.00 µs", SliceDetails.value(a, SliceDetails.DURATION));
    assertEquals("1.60 µs", SliceDetails.value(a, SliceDetails.QUEUEING_DELAY)); // 2100 - 500
    assertTrue(SliceDetails.value(a, SliceDetails.WAKEUP).startsWith("written"));
    assertTrue(SliceDetails.value(a, SliceDetails.POSTED_BY).startsWith("main"));
    List<SliceDetails.Entry> b = SliceDetails.of(known, slice(known, "worker-0", "handle B"));
    assertEquals("2.60 µs", SliceDetails.value(b, SliceDetails.QUEUEING_DELAY)); // 3200 - 600
    assertTrue(SliceDetails.value(b, SliceDetails.WAKEUP).startsWith("avoided"));
  }

  @Test
  void shouldGiveATimersLateness() {
    List<SliceDetails.Entry> t = SliceDetails.of(known, slice(known, "worker-0", "tick"));
    assertEquals("timer callback", SliceDetails.value(t, SliceDetails.KIND));
    assertEquals("500 ns", SliceDetails.value(t, SliceDetails.LATENESS)); // 4500 - 4000
    assertEquals("4.000 µs", SliceDetails.value(t, SliceDetails.DEADLINE));
    assertNull(SliceDetails.value(t, SliceDetails.QUEUEING_DELAY));
  }

  @Test
  void shouldDrawArrowsFromAPostToItsCallbackAndBack() {
    SliceRef a = slice(known, "worker-0", "handle A");
    Flow in = Flows.cause(known, a);
    assertEquals(lane(known, "main").index(), in.fromLane());
    assertEquals(500, in.fromTime());
    assertTrue(in.wakeup());
    Lane main = lane(known, "main");
    SliceRef work = new SliceRef(main.index(), main.sliceAt(0, main.positionAt(0, 500)));
    assertEquals(SliceCategory.WORK, main.category(work.slice())); // it made both posts
    List<Flow> out = Flows.of(known, work, 10);
    assertEquals(List.of(2100L, 3200L), out.stream().map(Flow::toTime).toList());
    assertEquals(List.of(true, false), out.stream().map(Flow::wakeup).toList());
  }

  @Test
  void shouldTellEachThreadsStateAtTheCursor() {
    List<CursorState.LaneState> at = CursorState.at(known, 4600);
    CursorState.LaneState main = at.get(lane(known, "main").index());
    CursorState.LaneState w0 = at.get(lane(known, "worker-0").index());
    CursorState.LaneState w1 = at.get(lane(known, "worker-1").index());
    assertEquals("idle", main.state());
    assertEquals("in timer callback tick", w0.state());
    assertEquals(0, w0.queueDepth(), "both posts of the batch already ran");
    assertEquals(1, CursorState.at(known, 2500).get(w0.lane()).queueDepth(), "handle B waits");
    assertEquals("idle (waiting in poll)", w1.state());
    assertEquals(-1, w1.queueDepth());
    assertEquals(0, w1.connections());
    assertEquals("in slot update callback cfg",
        CursorState.at(known, 6500).get(w1.lane()).state());
    assertEquals(1, CursorState.at(known, 6500).get(w1.lane()).connections());
    assertEquals("loop work", CursorState.at(known, 4300).get(w0.lane()).state());
  }

  @Test
  void shouldFindLabelsIgnoringCaseAndStepThroughMatches() {
    Search s = Search.of(known, "HANDLE");
    assertEquals(2, s.total());
    Lane w0 = lane(known, "worker-0");
    assertTrue(s.matches(w0, slice(known, "worker-0", "handle B").slice()));
    SliceRef first = s.next(0);
    assertEquals("handle A", known.string(w0.labelId(first.slice())));
    SliceRef second = s.next(w0.start(first.slice()));
    assertEquals("handle B", known.string(w0.labelId(second.slice())));
    assertNull(s.next(w0.start(second.slice())));
    assertEquals(first, s.previous(w0.start(second.slice())));
    assertEquals(0, Search.of(known, "no such label").total());
  }

  @Test
  void shouldCountTheRealRunsLabelledRequests() {
    TraceModel m = TraceModel.load(real);
    assertEquals(TestTraces.REAL_POSTS / 10, Search.of(m, "slow request").sliceTotal());
    Search all = Search.of(m, "request");
    assertEquals(TestTraces.REAL_POSTS, all.sliceTotal());
    for (Lane lane : m.lanes()) {
      for (int i : all.matches(lane.index())) {
        assertEquals(SliceCategory.POST_CALLBACK, lane.category(i), "labels sit on posts");
      }
    }
  }
}
