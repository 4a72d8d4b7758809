package io.kallisto.visualizer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.TraceFile;
import io.kallisto.visualizer.TestTraces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding a trace's threads on several workers gives the very model that one worker gives:
 * every lane's columns, rows, instants and counters, the strings, requests, dispatchers and
 * damages, for real and synthetic traces. Four workers, whatever the machine has, so that the
 * threads of a trace really are decoded at the same time.
 */
class ParallelLoadTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final int WORKERS = 4;

  @TempDir Path dir;

  @Test
  void shouldLoadARealRunTheSameOnFourWorkersAsOnOne() {
    assertTimeoutPreemptively(LIMIT, () -> same(TestTraces.realRun(dir.resolve("real.ktrace"))));
  }

  @Test
  void shouldLoadHeadOfLineBlockingTheSameOnFourWorkersAsOnOne() {
    assertTimeoutPreemptively(LIMIT, () -> {
      same(TestTraces.headOfLine(dir.resolve("hol.ktrace")));
      same(TestTraces.simulatedHeadOfLine(dir.resolve("sim.ktrace")));
    });
  }

  @Test
  void shouldLoadSyntheticTracesTheSameOnFourWorkersAsOnOne() {
    assertTimeoutPreemptively(LIMIT, () -> {
      same(TestTraces.known(dir.resolve("known.ktrace")));
      same(TestTraces.knownInterrupted(dir.resolve("cut.ktrace")));
      same(TestTraces.blocked(dir.resolve("blocked.ktrace")));
      same(TestTraces.manyBlocks(dir.resolve("many.ktrace")));
      same(TestTraces.fixture());
    });
  }

  @Test
  void shouldPutAWatchdogsMissesOnTheStalledLoopsLaneOnAnyWorker() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = TestTraces.synthetic()
          .thread("worker-0", r -> r.work(0, 5000).mark("go", 100).mark("late", 4000))
          .thread("guarddog", r -> r.watchdog("worker-0", 3000, 2500, false)
              .watchdog("worker-0", 4500, 4000, true).watchdog("nobody", 4600, 10, false))
          .write(dir.resolve("watchdog.ktrace"));
      TraceModel m = same(file);
      Instants marks = m.lanes().get(lane(m, "worker-0")).marks();
      assertEquals(4, marks.size(), "its own two marks and the two misses naming it");
      assertEquals(3000, marks.time(1));
      assertEquals(TraceModelLoader.WATCHDOG_MISS, marks.kind(1));
      assertEquals(TraceModelLoader.WATCHDOG_MISS + 1, marks.kind(3), "the mega-miss");
      assertEquals(1, m.lanes().get(lane(m, "guarddog")).marks().size(),
          "a miss naming no thread stays with the watchdog");
    });
  }

  @Test
  void shouldLoseACorruptBlockOnceWhenWorkersFindItOnRead() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path real = TestTraces.realRun(dir.resolve("real.ktrace"));
      byte[] bytes = Files.readAllBytes(real);
      List<Integer> blocks = new ArrayList<>();
      try (TraceFile t = TraceFile.open(real)) {
        t.blocks().forEach(b -> blocks.add((int) b.offset()));
      }
      int middle = blocks.get(blocks.size() / 2);
      bytes[middle + io.kallisto.trace.TraceFileDescriptor.BLOCK_HEADER_SIZE + 7] ^= 0x40;
      Path damaged = Files.write(dir.resolve("damaged.ktrace"), bytes);
      TraceModel one;
      TraceModel four;
      long readByOne;
      try (TraceFile t = TraceFile.open(damaged, TraceFile.Verify.ON_READ)) {
        one = TraceModelLoader.load(t, null, null, 1);
        readByOne = t.blocksRead();
      }
      try (TraceFile t = TraceFile.open(damaged, TraceFile.Verify.ON_READ)) {
        four = TraceModelLoader.load(t, null, null, WORKERS);
        assertEquals(readByOne, t.blocksRead(), "each block counted once");
      }
      assertEquals(1, four.damages().size(), four.damages().toString());
      assertEquals(middle, four.damage().offset());
      assertSame(one, four);
    });
  }

  @Test
  void shouldLoadAWindowTheSameOnFourWorkersAsOnOne() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = TestTraces.manyBlocks(dir.resolve("many.ktrace"));
      ReadWindow w = new ReadWindow(500_000, 700_000);
      TraceModel one;
      TraceModel four;
      try (TraceFile t = TraceFile.open(file, TraceFile.Verify.ON_READ)) {
        one = TraceModelLoader.load(t, null, w, 1);
      }
      try (TraceFile t = TraceFile.open(file, TraceFile.Verify.ON_READ)) {
        four = TraceModelLoader.load(t, null, w, WORKERS);
      }
      assertTrue(one.lanes().get(lane(one, "long-1")).sliceCount() > 0);
      assertSame(one, four);
    });
  }

  @Test
  void shouldReportProgressThatOnlyGrowsToBothPassesEvents() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = TestTraces.manyBlocks(dir.resolve("many.ktrace"));
      List<Long> heard = java.util.Collections.synchronizedList(new ArrayList<>());
      TraceModel m;
      try (TraceFile t = TraceFile.open(file)) {
        m = TraceModelLoader.load(t, heard::add, null, WORKERS);
      }
      assertTrue(heard.size() > 1, heard.toString());
      for (int i = 1; i < heard.size(); i++) {
        assertTrue(heard.get(i) > heard.get(i - 1), "grows: " + heard);
      }
      assertEquals(2 * m.eventCount(), heard.get(heard.size() - 1), "both passes, every event");
    });
  }

  private static int lane(TraceModel m, String name) {
    return m.lanes().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow()
        .index();
  }

  /** Loads {@code file} on one worker and on four, checks the models match, returns one. */
  private static TraceModel same(Path file) {
    TraceModel one;
    TraceModel four;
    try (TraceFile t = TraceFile.open(file)) {
      one = TraceModelLoader.load(t, null, null, 1);
    }
    try (TraceFile t = TraceFile.open(file)) {
      four = TraceModelLoader.load(t, null, null, WORKERS);
    }
    assertSame(one, four);
    return four;
  }

  private static void assertSame(TraceModel a, TraceModel b) {
    assertEquals(a.eventCount(), b.eventCount());
    assertEquals(a.firstTime(), b.firstTime());
    assertEquals(a.lastTime(), b.lastTime());
    assertEquals(a.damages().toString(), b.damages().toString());
    assertArrayEquals(a.strings, b.strings, "strings");
    assertEquals(a.laneOfDispatcher, b.laneOfDispatcher, "dispatchers' lanes");
    assertArrayEquals(a.requestEnds, b.requestEnds, "request ends");
    sameSeries("active connections", a.activeConnections, b.activeConnections);
    assertEquals(a.lanes().size(), b.lanes().size(), "lanes");
    for (int l = 0; l < a.lanes().size(); l++) {
      sameLane(a.lanes().get(l), b.lanes().get(l));
    }
    Requests ra = a.requests();
    Requests rb = b.requests();
    assertEquals(ra.size(), rb.size(), "requests");
    for (int k = 0; k < ra.size(); k++) {
      assertEquals(ra.id(k), rb.id(k));
      assertEquals(ra.server(k), rb.server(k), "server side of request " + ra.id(k));
      assertEquals(ra.client(k), rb.client(k), "client side of request " + ra.id(k));
      assertEquals(ra.latency(k), rb.latency(k));
    }
  }

  private static void sameLane(Lane a, Lane b) {
    String at = a.name();
    assertEquals(a.name(), b.name());
    assertEquals(a.index(), b.index(), at);
    assertEquals(a.threadId(), b.threadId(), at);
    assertEquals(a.holdsClientRequests(), b.holdsClientRequests(), at);
    assertEquals(a.sliceCount(), b.sliceCount(), at + " slices");
    assertEquals(a.hiddenSlices(), b.hiddenSlices(), at);
    assertEquals(a.rowCount(), b.rowCount(), at + " rows");
    for (int r = 0; r < a.rowCount(); r++) {
      assertEquals(a.rowSize(r), b.rowSize(r), at + " row " + r);
    }
    for (int i = 0; i < a.sliceCount(); i++) {
      String slice = at + " slice " + i;
      assertEquals(a.start(i), b.start(i), slice);
      assertEquals(a.end(i), b.end(i), slice);
      assertEquals(a.aux(i), b.aux(i), slice);
      assertEquals(a.labelId(i), b.labelId(i), slice);
      assertEquals(a.category(i), b.category(i), slice);
      assertEquals(a.rowOf(i), b.rowOf(i), slice);
    }
    sameInstants(at + " posts", a.posts(), b.posts());
    sameInstants(at + " marks", a.marks(), b.marks());
    sameInstants(at + " slots", a.slots(), b.slots());
    assertEquals(new ArrayList<>(a.counters().keySet()), new ArrayList<>(b.counters().keySet()),
        at + " counters");
    for (Map.Entry<String, Series> c : a.counters().entrySet()) {
      sameSeries(at + " " + c.getKey(), c.getValue(), b.counters().get(c.getKey()));
    }
    sameSeries(at + " connections", a.connections(), b.connections());
  }

  private static void sameInstants(String what, Instants a, Instants b) {
    assertEquals(a.size(), b.size(), what);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.time(i), b.time(i), what + " " + i);
      assertEquals(a.a(i), b.a(i), what + " " + i);
      assertEquals(a.b(i), b.b(i), what + " " + i);
      assertEquals(a.id(i), b.id(i), what + " " + i);
      assertEquals(a.kind(i), b.kind(i), what + " " + i);
    }
  }

  private static void sameSeries(String what, Series a, Series b) {
    if (a == null || b == null) {
      assertEquals(a, b, what);
      return;
    }
    assertNotNull(b, what);
    assertEquals(a.name(), b.name(), what);
    assertEquals(a.sampled(), b.sampled(), what);
    assertEquals(a.size(), b.size(), what);
    assertEquals(a.max(), b.max(), what);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.time(i), b.time(i), what + " " + i);
      assertEquals(a.value(i), b.value(i), what + " " + i);
    }
  }
}
