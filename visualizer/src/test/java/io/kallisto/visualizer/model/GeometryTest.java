package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.visualizer.TestTraces;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Viewport arithmetic, layout and hit testing, and time formats: no drawing involved. */
class GeometryTest {
  @TempDir static Path dir;
  private static TraceModel known;

  @BeforeAll
  static void load() throws Exception {
    known = TraceModel.load(TestTraces.known(dir.resolve("known.ktrace")));
  }

  @Test
  void shouldKeepTheTimeUnderThePointerWhenZooming() {
    Viewport v = new Viewport(0, 10_000, 100, 1000);
    double x = 350;
    double before = v.time(x);
    v.zoom(4, x);
    assertEquals(before, v.time(x), 1e-6);
    assertEquals(2500, v.span(), 1e-6);
    v.zoom(0.5, x);
    assertEquals(before, v.time(x), 1e-6);
    assertEquals(5000, v.span(), 1e-6);
  }

  @Test
  void shouldPanByPixelsAndStayWithinTheTrace() {
    Viewport v = new Viewport(0, 500, 0, 100);
    v.limitTo(0, 1000);
    v.pan(10); // 5 ns a pixel
    assertEquals(50, v.from(), 1e-9);
    v.pan(-1_000_000);
    assertEquals(-50, v.from(), 1e-9); // 5 % margin before the start
    v.zoom(1e-9, 50);
    assertEquals(1100, v.span(), 1e-9); // never wider than the trace and its margins
    v.zoom(1e12, 50);
    assertEquals(Viewport.MIN_SPAN, v.span(), 1e-9);
  }

  @Test
  void shouldFindTheLaneAndRowUnderAPoint() {
    ViewState state = new ViewState(known);
    TimelineLayout layout = state.layout(1200, 800);
    Lane w1 = known.lanes().get(2);
    for (int r = 0; r < w1.rowCount(); r++) {
      double y = layout.rowTop(w1.index(), r) + layout.rowHeight() / 2;
      TimelineLayout.Hit hit = layout.hit(layout.timelineLeft() + 10, y);
      assertEquals(TimelineLayout.Area.LANE, hit.area());
      assertEquals(w1.index(), hit.lane());
      assertEquals(r, hit.row());
      assertEquals(TimelineLayout.Area.LABELS, layout.hit(5, y).area());
    }
    assertEquals(TimelineLayout.Area.RULER, layout.hit(500, 3).area());
    assertEquals(TimelineLayout.Area.LEGEND, layout.hit(500, 799).area());
    TimelineLayout.Hit counter = layout.hit(500, layout.trackTop(0) + 5);
    assertEquals(TimelineLayout.Area.COUNTER, counter.area());
    assertEquals(0, counter.track());
  }

  @Test
  void shouldFindASliceUnderThePointerOrWithinTheTolerance() {
    Lane w0 = known.lanes().get(1);
    int a = w0.sliceNear(1, 2500, 0); // callbacks sit in row 1
    assertEquals(2100, w0.start(a));
    assertEquals(-1, w0.sliceNear(1, 3150, 10)); // between "handle A" and "handle B"
    assertEquals(3200, w0.start(w0.sliceNear(1, 3160, 60)));
  }

  @Test
  void shouldScaleEverythingInPresentationMode() {
    ViewState state = new ViewState(known);
    double normal = state.layout(1200, 800).rowHeight();
    state.setPresentation(true);
    TimelineLayout big = state.layout(1200, 800);
    assertEquals(normal * ViewState.PRESENTATION_SCALE, big.rowHeight(), 1e-9);
    assertTrue(big.fontSize() >= 17, "a font a lecture hall can read: " + big.fontSize());
  }

  @Test
  void shouldFormatAndParseTimes() {
    assertEquals("850 ns", TimeFormat.duration(850));
    assertEquals("12.3 µs", TimeFormat.duration(12_345));
    assertEquals("4.56 ms", TimeFormat.duration(4_561_000));
    assertEquals("1.50 s", TimeFormat.duration(1_500_000_000));
    assertEquals(12_500_000, TimeFormat.parse("12.5ms"));
    assertEquals(300_000, TimeFormat.parse("300us"));
    assertEquals(2_000_000_000L, TimeFormat.parse("2s"));
    assertEquals(800, TimeFormat.parse("800ns"));
    assertEquals(3_000_000, TimeFormat.parse("3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TimeFormat.parse("soon"));
    assertTrue(e.getMessage().contains("'soon'"));
  }

  @Test
  void shouldKeepTheTenMostRecentFilesNewestFirst() {
    RecentFiles recent = new RecentFiles(dir.resolve("recent/list"));
    for (int i = 0; i < 12; i++) {
      recent.add(dir.resolve("t" + i + ".ktrace"));
    }
    recent.add(dir.resolve("t5.ktrace"));
    assertEquals(RecentFiles.MAX, recent.list().size());
    assertEquals(dir.resolve("t5.ktrace").toAbsolutePath(), recent.list().get(0));
    assertEquals(dir.resolve("t11.ktrace").toAbsolutePath(), recent.list().get(1));
    assertEquals(1, recent.list().stream().filter(p -> p.endsWith("t5.ktrace")).count());
  }
}
