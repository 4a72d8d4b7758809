package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.TraceFormatException;
import io.kallisto.trace.analysis.CallbackLatency;
import io.kallisto.visualizer.TestTraces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceModelTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static Path real;
  private static TraceModel realModel;

  @BeforeAll
  static void record() throws Exception {
    real = TestTraces.realRun(dir.resolve("real.ktrace"));
    realModel = TraceModel.load(real);
  }

  private static Lane lane(TraceModel m, String name) {
    return m.lanes().stream().filter(l -> l.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no lane " + name + " in " + m.lanes()));
  }

  @Test
  void shouldNameOneLanePerThreadFromTheThreadTable() {
    TraceModel m = TraceModel.load(TestTraces.fixture());
    assertEquals(List.of("golden-main", "golden-worker"),
        m.lanes().stream().map(Lane::name).toList());
    try (TraceFile f = TraceFile.open(real)) {
      assertEquals(List.copyOf(f.threads().values()),
          realModel.lanes().stream().map(Lane::name).toList());
    }
  }

  @Test
  void shouldKeepEverySliceOfARealRunOnItsThreadsLane() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Map<Integer, Integer> slices = new HashMap<>();
      try (TraceFile f = TraceFile.open(real)) {
        f.forEach(e -> {
          if (e.isSlice()) {
            slices.merge(e.thread(), 1, Integer::sum);
          }
        });
      }
      for (Lane lane : realModel.lanes()) {
        assertEquals(slices.getOrDefault(lane.threadId(), 0), lane.sliceCount(), lane.name());
        assertEquals(0, lane.hiddenSlices(), lane.name());
      }
      assertTrue(lane(realModel, "worker-0").sliceCount() > TestTraces.REAL_POSTS / 4);
    });
  }

  @Test
  void shouldStackCallbacksOneRowBelowTheWorkSliceThatHoldsThem() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int checked = 0;
      for (Lane lane : realModel.lanes()) {
        for (int i = 0; i < lane.sliceCount(); i++) {
          if (!lane.category(i).isCallback()) {
            continue;
          }
          int row = lane.rowOf(i);
          assertTrue(row >= 1, lane.name() + " callback " + i + " in row " + row);
          int k = lane.positionAt(row - 1, lane.start(i));
          assertTrue(k >= 0, "something encloses callback " + i + " on " + lane.name());
          int parent = lane.sliceAt(row - 1, k);
          assertTrue(lane.start(parent) <= lane.start(i) && lane.end(parent) >= lane.end(i));
          checked++;
        }
      }
      assertTrue(checked >= TestTraces.REAL_POSTS, "checked " + checked);
    });
  }

  @Test
  void shouldNeverOverlapSlicesWithinARow() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (Lane lane : realModel.lanes()) {
        for (int r = 0; r < lane.rowCount(); r++) {
          for (int k = 1; k < lane.rowSize(r); k++) {
            int prev = lane.sliceAt(r, k - 1);
            int cur = lane.sliceAt(r, k);
            assertTrue(lane.start(cur) >= lane.end(prev), lane.name() + " row " + r + " at " + k);
          }
        }
      }
    });
  }

  @Test
  void shouldPutANestedCallbackOneRowDeeperThanItsParent() throws Exception {
    TraceModel m = TraceModel.load(TestTraces.known(dir.resolve("known-nest.ktrace")));
    Lane w1 = lane(m, "worker-1");
    // work [5000, 9000) > file event "read" [5500, 8500) > slot update "cfg" [6000, 7000)
    assertEquals(3, w1.rowCount());
    assertEquals("read", m.string(w1.labelId(w1.sliceAt(1, w1.positionAt(1, 6500)))));
    assertEquals("cfg", m.string(w1.labelId(w1.sliceAt(2, w1.positionAt(2, 6500)))));
    assertEquals(SliceCategory.WORK, w1.category(w1.sliceAt(0, w1.positionAt(0, 6500))));
  }

  @Test
  void shouldMoveAPartlyOverlappingSliceToAFreeRow() throws Exception {
    TraceModel m = TraceModel.load(TestTraces.synthetic()
        .thread("t", r -> r
            .span("a", 0, 100)
            .span("b", 50, 100)     // overlaps a without being inside it
            .span("c", 200, 10))
        .write(dir.resolve("overlap.ktrace")));
    Lane t = m.lanes().get(0);
    Map<String, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < t.sliceCount(); i++) {
      rowOf.put(m.string(t.labelId(i)), t.rowOf(i));
    }
    assertEquals(Map.of("a", 0, "b", 1, "c", 0), rowOf);
  }

  @Test
  void shouldJoinEveryPostToItsCallbackAsTheEngineAnalysisDoes() {
    assertTimeoutPreemptively(LIMIT, () -> {
      long joined;
      try (TraceFile f = TraceFile.open(real)) {
        joined = CallbackLatency.of(f, null).postsJoined();
      }
      List<Flow> flows = Flows.sentBetween(realModel, Long.MIN_VALUE, Long.MAX_VALUE,
          Integer.MAX_VALUE);
      assertEquals(joined, flows.stream().filter(f -> !f.slot()).count());
      for (Flow f : flows) {
        Lane to = realModel.lanes().get(f.toLane());
        assertTrue(f.toTime() >= f.fromTime(), "a callback runs after its post: " + f);
        assertEquals(f.toTime(), to.start(f.toSlice()));
      }
      // Slot.set and runOnAllThreads: each reaches both workers.
      for (String worker : List.of("worker-0", "worker-1")) {
        int index = lane(realModel, worker).index();
        assertEquals(2, flows.stream().filter(f -> f.slot() && f.toLane() == index).count(),
            worker);
      }
    });
  }

  @Test
  void shouldKeepQueueDepthConnectionsAndRequestsAsCounters() throws Exception {
    TraceModel m = TraceModel.load(TestTraces.known(dir.resolve("known-counters.ktrace")));
    Series depth = lane(m, "worker-0").counters().get("queue depth");
    assertEquals(-1, depth.valueAt(1999));
    assertEquals(2, depth.valueAt(2099), "the batch's two posts, sampled at its start");
    assertEquals(1, depth.valueAt(2100), "handle A left the queue when it began");
    assertEquals(0, depth.valueAt(3200), "and handle B");
    assertEquals(0, depth.valueAt(5999));
    assertEquals(0, depth.valueAt(6000));
    assertEquals(1, m.activeConnections().valueAt(5000));
    assertEquals(0, m.activeConnections().valueAt(9000));
    assertEquals(2, m.requestsBetween(0, 10_000));
    assertEquals(1, m.requestsBetween(8001, 10_000));
  }

  @Test
  void shouldOpenATraceWithACorruptMiddleBlockWithEveryOtherBlockAndSaySoInTheBanner()
      throws Exception {
    byte[] bytes = Files.readAllBytes(real);
    java.util.List<Integer> blocks = new java.util.ArrayList<>();
    for (int i = 0; i + 4 <= bytes.length; i++) {
      if (bytes[i] == 'K' && bytes[i + 1] == 'B' && bytes[i + 2] == 'L' && bytes[i + 3] == 'K'
          && i + 4 < bytes.length
          && bytes[i + 4] == io.kallisto.trace.TraceFileDescriptor.BLOCK_EVENTS) {
        blocks.add(i); // an events block's header
      }
    }
    int middle = blocks.get(blocks.size() / 2);
    bytes[middle + io.kallisto.trace.TraceFileDescriptor.BLOCK_HEADER_SIZE + 7] ^= 0x40;
    Path damaged = Files.write(dir.resolve("middle.ktrace"), bytes);
    TraceModel m = TraceModel.load(damaged);
    assertEquals(1, m.damages().size(), m.damages().toString());
    assertEquals(middle, m.damage().offset());
    assertNotNull(m.end(), "the END block after the damage was read");
    assertTrue(m.eventCount() < realModel.eventCount());
    String banner = io.kallisto.visualizer.render.TimelineRenderer.bannerText(m);
    assertTrue(banner.startsWith("Damaged trace: 1 damaged range ("), banner);
    assertTrue(banner.contains(String.format(java.util.Locale.ROOT, "byte offset %,d", middle)),
        banner);
  }

  @Test
  void shouldOpenACutFileWithWhatCameBeforeTheDamage() throws Exception {
    long size = Files.size(real);
    // Past the 64-byte END block (header and payload with no reason), into the last events.
    long keep = size - 100;
    Path cut = TestTraces.truncated(real, dir.resolve("cut.ktrace"), keep);
    TraceModel m = TraceModel.load(cut);
    assertNotNull(m.damage());
    assertEquals(keep - m.damage().offset(), m.damage().lostBytes());
    assertTrue(m.damage().offset() < keep);
    assertNull(m.end(), "cut short, it has no end block");
    assertTrue(m.recordingNote().startsWith("Not closed: "), m.recordingNote());
    assertTrue(m.eventCount() < realModel.eventCount());
    assertNull(realModel.damage());
  }

  @Test
  void shouldKnowHowTheRecordingEndedAndWhetherTheHeaderWasChecked() throws Exception {
    TraceModel v1 = TraceModel.load(TestTraces.fixture());
    assertEquals(1, v1.formatVersion());
    assertFalse(v1.headerChecked());
    assertEquals("no check (format version 1 has no header checksum)", v1.headerCheck());
    assertNull(v1.end());
    assertNull(v1.recordingNote(), "a version 1 file does not say how it ended");

    assertEquals(2, realModel.formatVersion());
    assertTrue(realModel.headerChecked());
    assertFalse(realModel.interrupted());
    assertNull(realModel.recordingNote(), "complete");

    TraceModel cut = TraceModel.load(TestTraces.knownInterrupted(dir.resolve("cut-run.ktrace")));
    assertTrue(cut.interrupted());
    assertEquals(TestTraces.KNOWN_CUT, cut.end());
    assertEquals("Interrupted run: cut by SIGTERM after 4.4 s of 30 s; the trace holds what ran"
        + " until then.", cut.recordingNote());
  }

  @Test
  void shouldRefuseAForeignFileNamingTheOffset() throws Exception {
    Path foreign = dir.resolve("foreign.ktrace");
    Files.writeString(foreign, "this is not a trace, just some text long enough");
    TraceFormatException e = assertThrows(TraceFormatException.class,
        () -> TraceModel.load(foreign));
    assertTrue(e.getMessage().contains("at byte offset 0"), e.getMessage());
  }

  @Test
  void shouldFindTheNextAndPreviousEventAcrossLanes() throws Exception {
    TraceModel m = TraceModel.load(TestTraces.known(dir.resolve("known-steps.ktrace")));
    assertEquals(100, m.nextEventTime(0));     // main's "setup" begins
    assertEquals(400, m.nextEventTime(100));   // ... and ends
    assertEquals(500, m.nextEventTime(400));   // the first post
    assertEquals(400, m.previousEventTime(500));
    assertEquals(m.lastTime(), m.nextEventTime(m.lastTime()));
  }

  @Test
  void shouldCountCallbacksOfEveryKindInTheFixture() {
    TraceModel m = TraceModel.load(TestTraces.fixture());
    Lane worker = lane(m, "golden-worker");
    Map<SliceCategory, Integer> kinds = new HashMap<>();
    for (int i = 0; i < worker.sliceCount(); i++) {
      kinds.merge(worker.category(i), 1, Integer::sum);
    }
    for (CallbackKind k : CallbackKind.values()) {
      assertEquals(1, kinds.get(SliceCategory.ofCallback(k)), k.label());
    }
    assertEquals(1, kinds.get(SliceCategory.SPAN));
    try (TraceFile f = TraceFile.open(TestTraces.fixture())) {
      assertEquals(f.countByType().get(EventType.POST).intValue(),
          lane(m, "golden-main").posts().size());
    }
  }
}
