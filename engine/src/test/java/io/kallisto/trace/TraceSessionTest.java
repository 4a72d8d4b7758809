package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's handling of thread buffers, driven by real threads and its real writer thread. */
class TraceSessionTest {
  @TempDir Path dir;

  @AfterEach
  void stopTracing() {
    if (Tracing.isEnabled()) {
      Tracing.stop();
    }
  }

  @Test
  void shouldKeepAFullBufferWithItsThreadUntilTheThreadMovesOn() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      Path file = dir.resolve("recycle.ktrace");
      TraceSession session = Tracing.start(file); // a real clock: the writer thread's passes
      ThreadTrace a = Tracing.currentThread();
      for (int i = 0; i < TraceBuffer.RECORDS; i++) {
        a.record(EventType.MARK, 0, 0, 0, i, 0, 0);
      }
      // Exactly one full buffer, and no record since: the thread still holds it as its current
      // one. Wait for the writer's pass to write it; entering the session's monitor then waits
      // for that pass to end, and makes what it did to the buffer visible here.
      session.bufferFilled();
      long full = TraceFileDescriptor.BLOCK_HEADER_SIZE
          + (long) TraceBuffer.RECORDS * TraceRecordDescriptor.SIZE;
      while (Files.size(session.writingTo()) < full) { // the file before stop() renames it
        Thread.onSpinWait();
      }
      synchronized (session) {
        // the pass is over
      }
      // A new thread takes its first buffer from the pool; it must not be the one still held.
      Thread b = new Thread(() -> {
        ThreadTrace t = Tracing.currentThread();
        for (int i = 0; i < 10; i++) {
          t.record(EventType.MARK, 0, 0, 0, 100_000 + i, 0, 0);
        }
      }, "second");
      b.start();
      b.join();
      a.record(EventType.MARK, 0, 0, 0, TraceBuffer.RECORDS, 0, 0);
      Tracing.stop();

      try (TraceFile trace = TraceFile.open(file)) {
        assertNull(trace.damage());
        var byThread = RawTrace.eventsOf(trace).stream()
            .collect(Collectors.groupingBy(RawTrace.Rec::thread));
        List<RawTrace.Rec> first = byThread.get(a.id());
        assertEquals(TraceBuffer.RECORDS + 1, first.size(), "the first thread's records");
        for (int i = 0; i < first.size(); i++) {
          assertEquals(i, first.get(i).time(), "record " + i + " of the first thread");
        }
        assertEquals(10, byThread.get(1 - a.id()).size(), "the second thread's records");
      }
    });
  }

  @Test
  void shouldKeepAFullBufferWithItsThreadWhenAnotherThreadsFullBufferIsWritten() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      Path file = dir.resolve("recycle-virtual.ktrace");
      Tracing.start(file, TraceOptions.defaults().virtualClock(() -> 0));
      ThreadTrace a = Tracing.currentThread();
      for (int i = 0; i < TraceBuffer.RECORDS; i++) {
        a.record(EventType.MARK, 0, 0, 0, i, 0, 0);
      }
      // Another thread fills a buffer and moves on, so its full buffer is written while this
      // thread's full buffer is still its current one; then a third thread takes a buffer.
      runOn("second", TraceBuffer.RECORDS + 1);
      runOn("third", 10);
      a.record(EventType.MARK, 0, 0, 0, TraceBuffer.RECORDS, 0, 0);
      Tracing.stop();

      try (TraceFile trace = TraceFile.open(file)) {
        assertNull(trace.damage());
        var byThread = RawTrace.eventsOf(trace).stream()
            .collect(Collectors.groupingBy(RawTrace.Rec::thread, Collectors.counting()));
        assertEquals(TraceBuffer.RECORDS + 1L, byThread.get(a.id()), "the first thread's records");
        assertEquals(TraceBuffer.RECORDS + 1L, byThread.get(a.id() + 1), "the second thread's");
        assertEquals(10L, byThread.get(a.id() + 2), "the third thread's");
      }
    });
  }

  private static void runOn(String name, int records) throws InterruptedException {
    Thread thread = new Thread(() -> {
      ThreadTrace t = Tracing.currentThread();
      for (int i = 0; i < records; i++) {
        t.record(EventType.MARK, 0, 0, 0, i, 0, 0);
      }
    }, name);
    thread.start();
    thread.join();
  }
}
