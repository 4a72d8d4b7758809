package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TraceFile#reader()}: readers of one file on several threads at once read what the file
 * itself reads, and a damaged block that they all meet on first read is lost, counted and
 * reported once.
 */
class ConcurrentReadersTest {
  private static final int THREADS = 3;
  private static final int EVENTS_PER_THREAD = 21_000; // ten full blocks and a part one each

  @TempDir static Path dir;
  private static Path file;

  @BeforeAll
  static void recordTrace() throws Exception {
    file = dir.resolve("readers.ktrace");
    SequentialTrace.record(file, "readers", THREADS, EVENTS_PER_THREAD, Integer.MAX_VALUE);
  }

  @Test
  void readersOnSeveralThreadsReadWhatTheFileReadsAndLoseADamagedBlockOnce() throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    List<TraceFile.BlockInfo> blocks;
    try (TraceFile checked = TraceFile.open(file)) {
      blocks = checked.blocks();
    }
    TraceFile.BlockInfo hit = blocks.get(blocks.size() / 2);
    bytes[(int) hit.offset() + TraceFileDescriptor.BLOCK_HEADER_SIZE + 64] ^= 0x5a;
    Path damaged = Files.write(dir.resolve("damaged.ktrace"), bytes);
    List<RawTrace.Rec> expected;
    try (TraceFile one = TraceFile.open(damaged, TraceFile.Verify.ON_READ)) {
      expected = all(one.reader(), -1);
    }
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (TraceFile shared = TraceFile.open(damaged, TraceFile.Verify.ON_READ)) {
        int readers = 4;
        CyclicBarrier start = new CyclicBarrier(readers);
        List<List<RawTrace.Rec>> got = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
          List<RawTrace.Rec> out = new ArrayList<>();
          got.add(out);
          TraceFile.Reader reader = shared.reader();
          Thread t = new Thread(() -> {
            try {
              start.await(); // all at once, so that they meet the damaged block together
              out.addAll(all(reader, -1));
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
          });
          threads.add(t);
          t.start();
        }
        for (Thread t : threads) {
          t.join();
        }
        assertEquals(null, failure.get());
        for (List<RawTrace.Rec> g : got) {
          assertEquals(expected, g);
        }
        assertEquals(1, shared.damages().size(), shared.damages().toString());
        assertEquals(hit.offset(), shared.damage().offset());
        assertEquals(blocks.size(), shared.blocksRead(), "each block counted once");
        assertEquals(blocks.size() - 1, shared.blocks().size(), "the lost block is unlisted");
        assertEquals(THREADS * EVENTS_PER_THREAD - hit.count(), shared.eventCount());
        // one thread's blocks through a reader of their own, as a parallel loader reads them
        List<RawTrace.Rec> mine = all(shared.reader(), hit.thread());
        assertEquals(expected.stream().filter(e -> e.thread() == hit.thread()).toList(), mine);
      }
    });
  }

  private static List<RawTrace.Rec> all(TraceFile.Reader reader, int thread) {
    List<RawTrace.Rec> out = new ArrayList<>();
    reader.forEach(thread, Long.MIN_VALUE, Long.MAX_VALUE, e -> out.add(RawTrace.Rec.of(e)));
    return out;
  }
}
