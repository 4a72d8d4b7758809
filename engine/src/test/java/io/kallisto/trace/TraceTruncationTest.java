package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-block trace cut short everywhere that matters: at every block boundary, inside
 * the file header and at seeded random offsets. The reader keeps exactly the complete blocks.
 */
class TraceTruncationTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int RECORDS_PER_THREAD = 5_000; // past two full 2048-record buffers
  private static final long SEED = 0x6b747261L;

  @TempDir static Path dir;
  private static RawTrace whole;

  @BeforeAll
  static void recordTrace() throws Exception {
    Path file = dir.resolve("whole.ktrace");
    TraceSession session = Tracing.start(file, TraceOptions.defaults().virtualClock(() -> 0));
    try {
      List<Thread> threads = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        int thread = n;
        threads.add(new Thread(() -> {
          ThreadTrace t = Tracing.currentThread();
          int label = session.intern("label " + thread);
          EventType[] types = EventType.values();
          for (int i = 0; i < RECORDS_PER_THREAD; i++) {
            EventType type = types[i % types.length];
            t.record(type, i & 0xff, thread, label, i, (long) thread << 32 | i, -i);
            if (i % 1000 == 0) {
              session.intern("label " + thread + "/" + i); // string blocks between events
            }
          }
        }, "cut-" + n));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      Tracing.stop();
    }
    whole = RawTrace.parse(Files.readAllBytes(file));
    long full = whole.blocks.stream().filter(b -> b.count() == TraceBuffer.RECORDS
        && b.type() == TraceFileDescriptor.BLOCK_EVENTS).count();
    assertTrue(whole.blocks.size() >= 8, "a multi-block trace: " + whole.blocks);
    assertTrue(full >= 1, "at least one block written from a full buffer: " + whole.blocks);
    assertEquals(3 * RECORDS_PER_THREAD, whole.recordsBefore(Long.MAX_VALUE).size());
  }

  @Test
  void shouldEndTheWholeFileWithACompleteEndBlock() throws Exception {
    Path file = dir.resolve("whole-again.ktrace");
    Files.write(file, whole.bytes);
    try (TraceFile trace = TraceFile.open(file)) {
      assertNull(trace.damage());
      assertNotNull(trace.end());
      assertFalse(trace.end().interrupted());
      assertEquals("complete", trace.end().describe());
    }
    assertEquals(TraceFileDescriptor.BLOCK_END, whole.blocks.get(whole.blocks.size() - 1).type());
  }

  @Test
  void shouldReadEveryCompleteBlockWithoutDamageWhenCutAtABlockBoundary() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int cut : whole.boundaries()) {
        checkCut(cut);
      }
    });
  }

  @Test
  void shouldReportDamageAndKeepTheCompleteBlocksWhenCutInsideABlock() {
    assertTimeoutPreemptively(LIMIT, () -> {
      TreeSet<Integer> cuts = new TreeSet<>();
      for (int boundary : whole.boundaries()) {
        cuts.add(boundary + 1); // one byte into a block header
        cuts.add(boundary + TraceFileDescriptor.BLOCK_HEADER_SIZE); // the header, no payload
        cuts.add(boundary - 1); // the last byte of the block before missing
      }
      Random random = new Random(SEED);
      for (int i = 0; i < 200; i++) {
        cuts.add(random.nextInt(whole.bytes.length));
      }
      for (int cut : cuts) {
        if (cut >= 0 && cut < whole.bytes.length) {
          checkCut(cut);
        }
      }
    });
  }

  @Test
  void shouldRejectAFileCutInsideItsHeaderNamingTheOffset() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int cut = 0; cut < whole.headerEnd; cut++) {
        checkCut(cut);
      }
    });
  }

  /** Cuts the whole trace at {@code cut} and checks what the reader makes of the rest. */
  private static void checkCut(int cut) throws Exception {
    Path file = dir.resolve("cut-at-" + cut + ".ktrace");
    Files.write(file, Arrays.copyOf(whole.bytes, cut));
    try {
      if (cut < whole.headerEnd) {
        TraceFormatException e = assertThrows(TraceFormatException.class,
            () -> TraceFile.open(file).close(), "cut at " + cut);
        // The fixed header is missing (offset 0), or its body length runs past the end (12).
        assertEquals(cut < TraceFileDescriptor.HEADER_FIXED_SIZE ? 0 : 12, e.offset(),
            e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(at byte offset " + e.offset() + ")"),
            e.getMessage());
        return;
      }
      int lastWhole = whole.headerEnd;
      for (RawTrace.Block b : whole.blocks) {
        if (b.end() <= cut) {
          lastWhole = b.end();
        }
      }
      try (TraceFile trace = TraceFile.open(file)) {
        if (cut == lastWhole) {
          assertNull(trace.damage(), "cut at the boundary " + cut);
        } else {
          TraceFile.Damage damage = trace.damage();
          assertNotNull(damage, "cut at " + cut + " inside a block");
          assertEquals(lastWhole, damage.offset(), damage.toString());
          assertEquals(cut - lastWhole, damage.lostBytes(), damage.toString());
          assertTrue(damage.reason().contains("cut short"), damage.toString());
        }
        // The END block is the last: any cut loses it, so the file reads as never closed.
        assertEquals(cut == whole.bytes.length, trace.end() != null, "cut at " + cut);
        List<RawTrace.Rec> expected = whole.recordsBefore(cut);
        assertEquals(expected.size(), trace.eventCount(), "cut at " + cut);
        assertEquals(expected, RawTrace.eventsOf(trace), "cut at " + cut);
      }
    } finally {
      Files.delete(file);
    }
  }
}
