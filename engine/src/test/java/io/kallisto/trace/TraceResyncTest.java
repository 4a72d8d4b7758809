package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged block costs only itself: the reader skips to the next block whose header and CRC
 * check out and reads on, and reports every range it skipped. Checked against a second parse of
 * the intact file ({@link RawTrace}): after a flip, the reader returns exactly the records of
 * every other events block.
 */
class TraceResyncTest {
  private static final long SEED = 0x7265_7379_6e63L;
  private static final int FLIPS = 1_000;
  private static final int THREADS = 3;
  /** Per thread: three blocks of up to 2,048 records, so that many blocks follow a flip. */
  private static final int EVENTS_PER_THREAD = 5_000;

  @TempDir static Path dir;
  private static RawTrace intact;

  @BeforeAll
  static void recordTrace() throws Exception {
    Path file = dir.resolve("intact.ktrace");
    SequentialTrace.record(file, "resync", THREADS, EVENTS_PER_THREAD, 1_000);
    intact = RawTrace.parse(Files.readAllBytes(file));
    long eventBlocks = intact.blocks.stream()
        .filter(b -> b.type() == TraceFileDescriptor.BLOCK_EVENTS).count();
    assertTrue(eventBlocks >= 9, "the fixture needs many blocks: " + eventBlocks);
  }

  @Test
  void aFlippedByteAnywhereAfterTheHeaderLosesOnlyTheBlockItLandsIn() {
    flipEverywhere(TraceFile.Verify.ON_OPEN);
  }

  /**
   * The same 1,000 flips, read by a reader that checks an events block's checksum only when it
   * reads the block: once every event has been read, it has lost and reported exactly what the
   * checking-at-open reader did.
   */
  @Test
  void checkingBlocksOnReadLosesAndReportsTheSameAsCheckingAtOpenOnceEverythingIsRead() {
    flipEverywhere(TraceFile.Verify.ON_READ);
  }

  private void flipEverywhere(TraceFile.Verify verify) {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      Random random = new Random(SEED);
      Path file = dir.resolve("flipped.ktrace");
      int span = intact.bytes.length - intact.headerEnd;
      for (int i = 0; i < FLIPS; i++) {
        int at = intact.headerEnd + random.nextInt(span);
        byte[] bytes = intact.bytes.clone();
        bytes[at] ^= (byte) (1 + random.nextInt(255));
        Files.write(file, bytes);
        RawTrace.Block hit = blockAt(at);
        String flip = "flip " + i + " at byte " + at + " (block at " + hit.offset() + ")";
        try (TraceFile trace = TraceFile.open(file, verify)) {
          List<RawTrace.Rec> read = RawTrace.eventsOf(trace); // under ON_READ, finds the damage
          assertEquals(1, trace.damages().size(), flip + ": " + trace.damages());
          TraceFile.Damage d = trace.damage();
          assertEquals(hit.offset(), d.offset(), flip);
          assertEquals(hit.end() - hit.offset(), d.lostBytes(), flip);
          assertEquals(hit.end() == intact.bytes.length, d.toEnd(), flip);
          assertFalse(d.toString().contains("\n"), d.toString());
          List<RawTrace.Rec> expected = intact.recordsWithout(hit);
          assertEquals(expected.size(), trace.eventCount(), flip);
          assertEquals(expected, read, flip);
        }
      }
    });
  }

  @Test
  void aCorruptBlockInTheMiddleIsReportedWithItsThreadAndTimesWhileEveryOtherBlockOpens()
      throws Exception {
    List<RawTrace.Block> events = intact.blocks.stream()
        .filter(b -> b.type() == TraceFileDescriptor.BLOCK_EVENTS).toList();
    RawTrace.Block middle = events.get(events.size() / 2);
    byte[] bytes = intact.bytes.clone();
    // A payload byte: the header still reads, so the lost range can be named.
    bytes[middle.offset() + TraceFileDescriptor.BLOCK_HEADER_SIZE + 100] ^= 0x5a;
    Path file = Files.write(dir.resolve("middle.ktrace"), bytes);
    try (TraceFile trace = TraceFile.open(file)) {
      TraceFile.Damage d = trace.damage();
      assertNotNull(d);
      assertEquals("block checksum mismatch: the block is corrupt", d.reason());
      assertTrue(d.timeRangeKnown(), d.toString());
      assertEquals(middle.thread(), d.thread());
      assertEquals(middle.count(), intact.recordsBefore(Long.MAX_VALUE).size()
          - trace.eventCount());
      assertEquals(intact.recordsWithout(middle), RawTrace.eventsOf(trace));
      assertEquals("damaged at byte offset " + middle.offset() + ": block checksum mismatch:"
          + " the block is corrupt; " + (middle.end() - middle.offset()) + " bytes skipped to the"
          + " next readable block (events of thread " + middle.thread() + " from " + d.from()
          + " to " + d.to() + " ns, by the lost block's header)", d.toString());
      assertNotNull(trace.end(), "the END block after the damage was read");
      assertEquals("1 damaged range (" + String.format("%,d", middle.end() - middle.offset())
          + " bytes in all) was"
          + " skipped, the first at byte offset " + String.format("%,d", middle.offset())
          + ": block checksum mismatch: the block is corrupt. Showing the other "
          + String.format("%,d", trace.eventCount()) + " events.",
          TraceFile.Damage.describe(trace.damages(), trace.eventCount()));
    }
  }

  @Test
  void twoDamagedBlocksAreBothReportedAndEverythingBetweenThemIsRead() throws Exception {
    List<RawTrace.Block> events = intact.blocks.stream()
        .filter(b -> b.type() == TraceFileDescriptor.BLOCK_EVENTS).toList();
    RawTrace.Block a = events.get(1);
    RawTrace.Block b = events.get(events.size() - 2);
    byte[] bytes = intact.bytes.clone();
    bytes[a.offset()] = 'X'; // the magic
    bytes[b.offset() + TraceFileDescriptor.BLOCK_LENGTH_OFFSET] ^= 0x10; // the length
    Path file = Files.write(dir.resolve("two.ktrace"), bytes);
    try (TraceFile trace = TraceFile.open(file)) {
      assertEquals(2, trace.damages().size(), trace.damages().toString());
      assertEquals(a.offset(), trace.damages().get(0).offset());
      assertEquals(b.offset(), trace.damages().get(1).offset());
      assertEquals(a.count() + b.count(), intact.recordsBefore(Long.MAX_VALUE).size()
          - trace.eventCount());
    }
  }

  /** The block holding byte {@code at}. */
  private static RawTrace.Block blockAt(int at) {
    for (RawTrace.Block b : intact.blocks) {
      if (at >= b.offset() && at < b.end()) {
        return b;
      }
    }
    throw new AssertionError("byte " + at + " is in no block");
  }
}
