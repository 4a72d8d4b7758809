package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged bytes: seeded random flips anywhere in a real trace, and forged length fields. The
 * reader answers with records, a {@link TraceFile.Damage} or a one-line exception naming the
 * file; never another exception, a hang or an allocation a forged field asked for.
 */
class TraceCorruptionTest {
  private static final long SEED = 0x666c6970L;
  private static final int ITERATIONS = 2_000;
  /** What one open and full read may allocate: the reader's reused buffer and a little more. */
  private static final long ALLOCATION_LIMIT = TraceFileDescriptor.MAX_BLOCK_PAYLOAD + (1 << 20);

  @TempDir static Path dir;
  private static RawTrace intact;

  @BeforeAll
  static void recordTrace() throws Exception {
    Path file = dir.resolve("intact.ktrace");
    TraceSession session = Tracing.start(file, TraceOptions.defaults().scenario("flips")
        .virtualClock(() -> 0));
    try {
      Thread[] threads = new Thread[2];
      for (int n = 0; n < threads.length; n++) {
        int thread = n;
        threads[n] = new Thread(() -> {
          ThreadTrace t = Tracing.currentThread();
          for (int i = 0; i < 200; i++) {
            t.record(EventType.CALLBACK, CallbackKind.POST.code(), thread,
                session.intern("callback " + i % 7), i * 10L, 5, i);
          }
        }, "flip-" + n);
        threads[n].start();
      }
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      Tracing.stop();
    }
    intact = RawTrace.parse(Files.readAllBytes(file));
  }

  @Test
  void shouldOpenOrReportDamageOrThrowNamingTheFileWhateverBytesFlip() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Random random = new Random(SEED);
      Path file = dir.resolve("flipped.ktrace");
      int opened = 0;
      int damaged = 0;
      int rejected = 0;
      for (int i = 0; i < ITERATIONS; i++) {
        byte[] bytes = intact.bytes.clone();
        int flips = 1 + random.nextInt(4);
        // Most flips land in the header and the first blocks, where the parsing decisions are.
        int span = random.nextBoolean() ? Math.min(bytes.length, 512) : bytes.length;
        for (int f = 0; f < flips; f++) {
          bytes[random.nextInt(span)] ^= (byte) (1 + random.nextInt(255));
        }
        Files.write(file, bytes);
        long before = allocatedBytes();
        try (TraceFile trace = TraceFile.open(file)) {
          long[] seen = {0};
          trace.forEach(e -> {
            seen[0]++;
            e.label();
            e.end();
          });
          trace.countByType();
          assertEquals(trace.eventCount(), seen[0], "iteration " + i);
          if (trace.damage() != null) {
            damaged++;
            assertFalse(trace.damage().toString().contains("\n"), trace.damage().toString());
          } else {
            opened++;
          }
        } catch (TraceFormatException | UncheckedIOException e) {
          rejected++;
          assertTrue(e.getMessage().startsWith(file + ": "), "iteration " + i + ": " + e);
          assertFalse(e.getMessage().contains("\n"), e.getMessage());
        } catch (RuntimeException e) {
          fail("iteration " + i + " (seed " + SEED + ") threw " + e, e);
        }
        long allocated = allocatedBytes() - before;
        assertTrue(before < 0 || allocated < ALLOCATION_LIMIT,
            "iteration " + i + " allocated " + allocated + " bytes");
      }
      assertTrue(damaged > 0 && rejected > 0, "opened " + opened + ", damaged " + damaged
          + ", rejected " + rejected);
    });
  }

  @Test
  void shouldSkipABlockWithAForgedLengthWithoutReadingItAndReadOn() throws Exception {
    RawTrace.Block first = intact.blocks.get(0);
    for (long forged : new long[] {0xffff_ffffL, 0x7fff_ffffL,
        TraceFileDescriptor.MAX_BLOCK_PAYLOAD + 1L}) {
      byte[] bytes = intact.bytes.clone();
      RawTrace.le(bytes).putInt(first.offset() + TraceFileDescriptor.BLOCK_LENGTH_OFFSET,
          (int) forged);
      Path file = write("forged-block-length.ktrace", bytes);
      long before = allocatedBytes();
      try (TraceFile trace = TraceFile.open(file)) {
        assertTrue(before < 0 || allocatedBytes() - before < ALLOCATION_LIMIT);
        TraceFile.Damage damage = trace.damage();
        assertNotNull(damage);
        String reason = forged > TraceFileDescriptor.MAX_BLOCK_PAYLOAD
            ? "block payload length " + forged + " exceeds the limit of 4194304"
            : damage.reason();
        assertEquals("damaged at byte offset " + first.offset() + ": " + reason + "; "
            + (first.end() - first.offset()) + " bytes skipped to the next readable block",
            damage.toString());
        assertEquals(1, trace.damages().size());
        assertEquals(intact.recordsWithout(first), RawTrace.eventsOf(trace));
      }
    }
  }

  @Test
  void shouldRejectAForgedHeaderBodyLengthNamingTheFileAndOffset() throws Exception {
    for (long forged : new long[] {0xffff_ffffL, TraceFileDescriptor.MAX_HEADER_BODY + 1L,
        intact.bytes.length}) {
      byte[] bytes = intact.bytes.clone();
      RawTrace.le(bytes).putInt(12, (int) forged);
      Path file = write("forged-header-length.ktrace", bytes);
      TraceFormatException e = assertThrows(TraceFormatException.class,
          () -> TraceFile.open(file).close());
      assertEquals(file + ": header body length " + forged + " does not fit: expected at most "
          + (bytes.length - 16 - TraceFileDescriptor.HEADER_CRC_SIZE)
          + " bytes (at byte offset 12)", e.getMessage());
      assertEquals(12, e.offset());
      assertEquals(file, e.file());
    }
  }

  @Test
  void shouldRejectAForgedHeaderFactCountNamingTheByteWhereTheBodyRunsOut() throws Exception {
    byte[] bytes = intact.bytes.clone();
    RawTrace.le(bytes).putShort(TraceFileDescriptor.HEADER_FIXED_SIZE, (short) 0xffff);
    RawTrace.resealHeader(bytes); // a forgery with a matching checksum reaches the parser
    Path file = write("forged-fact-count.ktrace", bytes);
    TraceFormatException e = assertThrows(TraceFormatException.class,
        () -> TraceFile.open(file).close());
    assertEquals(file + ": expected a header key length of 2 bytes, but only 0 are left (at byte"
        + " offset " + (intact.headerEnd - TraceFileDescriptor.HEADER_CRC_SIZE) + ")",
        e.getMessage());
  }

  @Test
  void shouldRejectEverySingleFlippedBitInAVersion2HeaderWithOneLineNamingTheFile()
      throws Exception {
    int crcAt = intact.headerEnd - TraceFileDescriptor.HEADER_CRC_SIZE;
    int checksums = 0;
    for (int bit = 0; bit < intact.headerEnd * 8; bit++) {
      byte[] bytes = intact.bytes.clone();
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
      Path file = write("flipped-header-bit.ktrace", bytes);
      TraceFormatException e = assertThrows(TraceFormatException.class,
          () -> TraceFile.open(file).close(), "bit " + bit + " flipped");
      assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      if (bit / 8 >= TraceFileDescriptor.HEADER_FIXED_SIZE || bit / 8 == 10 || bit / 8 == 11) {
        // A fact, the flags or the checksum itself: nothing but the checksum can tell.
        assertTrue(e.getMessage().contains("header checksum mismatch: the header is corrupt"),
            "bit " + bit + ": " + e.getMessage());
        assertEquals(crcAt, e.offset(), e.getMessage());
        checksums++;
      }
    }
    assertEquals((intact.headerEnd - 14) * 8, checksums);
  }

  @Test
  void shouldNameTheByteWhereAStringsBlockRunsOutOfEntries() throws Exception {
    RawTrace.Block strings = intact.blocks.stream()
        .filter(b -> b.type() == TraceFileDescriptor.BLOCK_STRINGS).findFirst().orElseThrow();
    byte[] bytes = intact.bytes.clone();
    // One entry more than the payload holds, with a checksum that matches the forgery.
    RawTrace.le(bytes).putInt(strings.offset() + TraceFileDescriptor.BLOCK_COUNT_OFFSET,
        strings.count() + 1);
    RawTrace.reseal(bytes, strings.offset());
    Path file = write("forged-string-count.ktrace", bytes);
    try (TraceFile trace = TraceFile.open(file)) {
      TraceFile.Damage damage = trace.damage();
      assertNotNull(damage);
      assertEquals(strings.offset(), damage.offset());
      assertEquals(file + ": expected a string id of 4 bytes, but only 0 are left (at"
          + " byte offset " + strings.end() + ")", damage.reason());
    }
  }

  private static Path write(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  /** Bytes this thread has allocated so far, or -1 where the JVM does not count them. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
        && mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled()) {
      return mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
