package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that checks blocks on read ({@link TraceFile.Verify#ON_READ}) reads, for a window,
 * only the events blocks whose time range meets it, and returns the same events as a reader
 * that checked every block at open.
 */
class WindowedReadTest {
  private static final int THREADS = 3;
  /** Per thread: ten blocks of 2,048 records and a part block. */
  private static final int EVENTS_PER_THREAD = 21_000;

  @TempDir static Path dir;
  private static Path file;

  @BeforeAll
  static void recordTrace() throws Exception {
    file = dir.resolve("windows.ktrace");
    SequentialTrace.record(file, "windows", THREADS, EVENTS_PER_THREAD, Integer.MAX_VALUE);
  }

  @Test
  void aWindowReadsOnlyTheBlocksThatMeetItAndTheSameEventsAsACheckedOpen() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      long from = 100_000;
      long to = 100_500;
      List<RawTrace.Rec> expected;
      int allBlocks;
      int meeting = 0;
      try (TraceFile checked = TraceFile.open(file)) {
        allBlocks = checked.blocks().size();
        assertEquals(allBlocks, checked.blocksRead(), "checking at open reads every block");
        for (TraceFile.BlockInfo b : checked.blocks()) {
          if (b.last() >= from && b.first() <= to) {
            meeting++;
          }
        }
        expected = window(checked, from, to);
      }
      assertTrue(allBlocks >= 30, "the fixture needs many blocks: " + allBlocks);
      assertTrue(meeting >= THREADS && meeting < allBlocks / 5, "blocks meeting: " + meeting);
      try (TraceFile lazy = TraceFile.open(file, TraceFile.Verify.ON_READ)) {
        assertEquals(0, lazy.blocksRead(), "opening read block headers only");
        assertEquals(allBlocks, lazy.blocks().size());
        List<RawTrace.Rec> got = window(lazy, from, to);
        assertEquals(meeting, lazy.blocksRead());
        assertEquals(expected, got);
        assertEquals(51 * THREADS, got.size(), "events from 100,000 to 100,500 ns, ends included");
        assertTrue(lazy.damages().isEmpty(), lazy.damages().toString());
      }
    });
  }

  @Test
  void aCorruptBlockOutsideTheWindowIsNeitherReadNorReportedButOneInsideIs() throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    List<TraceFile.BlockInfo> blocks;
    try (TraceFile checked = TraceFile.open(file)) {
      blocks = checked.blocks();
    }
    TraceFile.BlockInfo last = blocks.get(blocks.size() - 1);
    TraceFile.BlockInfo first = blocks.get(0);
    Path damaged = dir.resolve("damaged.ktrace");
    for (TraceFile.BlockInfo hit : List.of(first, last)) {
      byte[] copy = bytes.clone();
      copy[(int) hit.offset() + TraceFileDescriptor.BLOCK_HEADER_SIZE + 64] ^= 0x5a;
      Files.write(damaged, copy);
      try (TraceFile lazy = TraceFile.open(damaged, TraceFile.Verify.ON_READ)) {
        window(lazy, first.first(), first.first() + 10);
        assertEquals(hit == first ? 1 : 0, lazy.damages().size(), lazy.damages().toString());
        if (hit == first) {
          TraceFile.Damage d = lazy.damage();
          assertEquals(first.offset(), d.offset());
          assertEquals(first.thread(), d.thread());
          assertTrue(d.reason().contains("checksum"), d.reason());
          assertEquals(blocks.size() - 1, lazy.blocks().size(), "the lost block is unlisted");
        }
      }
    }
  }

  private static List<RawTrace.Rec> window(TraceFile trace, long from, long to) {
    List<RawTrace.Rec> out = new ArrayList<>();
    trace.forEach(-1, from, to, e -> out.add(RawTrace.Rec.of(e)));
    return out;
  }
}
