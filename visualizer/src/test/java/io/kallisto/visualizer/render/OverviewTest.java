package io.kallisto.visualizer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.TestTraces;
import io.kallisto.visualizer.model.BlockOverview;
import io.kallisto.visualizer.model.Lane;
import io.kallisto.visualizer.model.TraceModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview drawn before the model loads: built from block headers alone, its densities
 * account for every event of every block, its lanes are the model's threads in the model's
 * order and names, and it draws each thread's events where in time they were recorded.
 */
class OverviewTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  /** Events per thread in the split trace: several blocks each (a block holds about 2,048). */
  private static final int SLICES = 3_000;
  private static final long HALF = 1_000_000;

  @TempDir static Path dir;
  /**
   * "early" records in the first half of the run only, "late" in the second only (last slice
   * first), "quiet" one mark.
   */
  private static Path split;

  @BeforeAll
  static void traces() throws Exception {
    long step = HALF / SLICES;
    split = TestTraces.synthetic()
        .thread("early", r -> {
          for (int i = 0; i < SLICES; i++) {
            r.work(i * step, step / 2);
          }
        })
        .thread("late", r -> {
          // Recorded last to first: its blocks are in file order but not in time order, as a
          // real thread's are where a long slice is recorded at its end.
          for (int i = SLICES - 1; i >= 0; i--) {
            r.work(HALF + i * step, step / 2);
          }
        })
        .thread("quiet", r -> r.mark("hello", HALF))
        .write(dir.resolve("split.ktrace"));
  }

  @Test
  void densitiesAddUpToTheEventsOfEveryBlock() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (TraceFile trace = TraceFile.open(split)) {
        long previous = Long.MAX_VALUE;
        boolean backwards = false;
        for (TraceFile.BlockInfo b : trace.blocks()) {
          if (trace.threads().get(b.thread()).equals("late")) {
            backwards |= b.first() < previous && previous != Long.MAX_VALUE;
            previous = b.first();
          }
        }
        assertTrue(backwards, "late's blocks go back in time, so the overview must sort them");
        assertDensitiesAddUp(trace);
      }
    });
  }

  /**
   * Every lane's bins hold its blocks' events, over the whole run in one window and in many
   * windows that meet; the lanes together hold the trace's.
   */
  private static void assertDensitiesAddUp(TraceFile trace) {
    BlockOverview o = BlockOverview.of(trace);
    assertEquals(trace.blocks().size(), o.blockCount());
    assertTrue(o.blockCount() > o.laneCount(), "threads span several blocks: " + o.blockCount());
    assertEquals(trace.eventCount(), o.eventCount());
    double from = o.firstTime();
    double to = o.lastTime() + 1.0;
    long sumOfLanes = 0;
    for (int l = 0; l < o.laneCount(); l++) {
      long blocks = 0;
      for (TraceFile.BlockInfo b : trace.blocks()) {
        blocks += b.thread() == o.threadId(l) ? b.count() : 0;
      }
      assertEquals(blocks, o.events(l), o.name(l));
      double[] bins = new double[5 + 97];
      o.density(l, from, to, bins, 5, 97);
      assertEquals(blocks, sum(bins), 1e-6 * blocks + 1e-9, "whole window, " + o.name(l));
      // Windows that meet, 41 of them, so that some ends fall inside every block.
      double inWindows = 0;
      double[] few = new double[3];
      for (int w = 0; w < 41; w++) {
        o.density(l, from + (to - from) * w / 41, from + (to - from) * (w + 1) / 41, few, 0, 3);
        inWindows += sum(few);
      }
      assertEquals(blocks, inWindows, 1e-6 * blocks + 1e-9, "windows that meet, " + o.name(l));
      sumOfLanes += blocks;
    }
    assertEquals(trace.eventCount(), sumOfLanes);
  }

  @Test
  void aLanePerThreadInTheModelsOrderWithTheModelsNamesAndItsDensitiesAddUp() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path hol = TestTraces.headOfLine(dir.resolve("hol.ktrace"));
      try (TraceFile trace = TraceFile.open(hol)) {
        BlockOverview o = BlockOverview.of(trace);
        TraceModel model = TraceModel.of(trace, n -> { });
        // The model's first lane of each thread; a load generator's requests lane comes after.
        Set<Integer> seen = new LinkedHashSet<>();
        List<String> expected = new ArrayList<>();
        for (Lane lane : model.lanes()) {
          if (seen.add(lane.threadId())) {
            expected.add(lane.name());
          }
        }
        List<String> names = new ArrayList<>();
        for (int l = 0; l < o.laneCount(); l++) {
          names.add(o.name(l));
        }
        assertEquals(expected, names);
        assertTrue(model.lanes().size() > o.laneCount(), "the trace has a requests lane, which"
            + " the overview leaves out");
        assertDensitiesAddUp(trace);
      }
    });
  }

  @Test
  void drawsEveryThreadsNameTheCaptionAndEachThreadsEventsWhereTheyHappened() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (TraceFile trace = TraceFile.open(split)) {
        BlockOverview o = BlockOverview.of(trace);
        RecordingSurface g = new RecordingSurface(1000, 300);
        OverviewRenderer r = new OverviewRenderer();
        r.draw(o, 0.43, 1, g);
        List<String> texts = new ArrayList<>();
        g.texts.forEach(t -> texts.add(t.text()));
        for (String name : List.of("early", "late", "quiet")) {
          assertTrue(texts.contains(name), name + " in " + texts);
        }
        String caption = String.format(java.util.Locale.ROOT, "Overview of %,d events from %,d"
            + " block headers — loading detail… 43 %%", o.eventCount(), o.blockCount());
        assertEquals(caption, r.lastCaption());
        assertTrue(texts.contains(caption), "the caption is drawn: " + texts);
        assertTrue(texts.contains("split.ktrace"), "the file over the labels: " + texts);
        assertTrue(texts.stream().anyMatch(t -> t.endsWith("ms")), "ruler ticks: " + texts);

        // Where each lane's bars are: early left of the middle, late right of it.
        BufferedImage img = g.image();
        int labels = 160;
        int[] early = blueColumns(img, labelRow(g, "early"), labels);
        int[] late = blueColumns(img, labelRow(g, "late"), labels);
        assertTrue(early[0] > 300 && early[1] == 0, "early: " + early[0] + " left, " + early[1]
            + " right");
        assertTrue(late[0] == 0 && late[1] > 300, "late: " + late[0] + " left, " + late[1]
            + " right");
        assertTrue(r.lastBars() >= early[0] + late[0] + early[1] + late[1]);
      }
    });
  }

  @Test
  void theCaptionSaysSoWhenTheShareIsNotKnown() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (TraceFile trace = TraceFile.open(split)) {
        BlockOverview o = BlockOverview.of(trace);
        assertTrue(OverviewRenderer.caption(o, -1).endsWith("loading detail…"));
        assertTrue(OverviewRenderer.caption(o, 1).endsWith("loading detail… 100 %"));
      }
    });
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  /** The baseline's y of the label {@code name}: its lane's middle. */
  private static int labelRow(RecordingSurface g, String name) {
    return (int) g.texts.stream().filter(t -> t.text().equals(name)).findFirst().orElseThrow()
        .y();
  }

  /**
   * Pixel columns of the bar colour in the row a few pixels below {@code y} (the bars stand on
   * the lane's bottom, and a full one reaches its middle), left and right of the middle.
   */
  private static int[] blueColumns(BufferedImage img, int y, int labels) {
    int middle = labels + (img.getWidth() - labels) / 2;
    int[] counts = new int[2];
    int row = y + 6;
    for (int x = labels; x < img.getWidth(); x++) {
      if ((img.getRGB(x, row) | 0xFF000000) == Palette.SKY_BLUE) {
        counts[x < middle ? 0 : 1]++;
      }
    }
    return counts;
  }
}
