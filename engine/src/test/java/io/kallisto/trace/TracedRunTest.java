package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import io.kallisto.event.WorkerPool;
import io.kallisto.threadlocal.Slot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real dispatchers and pools, traced to a real file, read back. */
class TracedRunTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  @TempDir Path dir;

  @org.junit.jupiter.api.AfterEach
  void stopTracingLeftOnByAFailedTest() {
    if (Tracing.isEnabled()) {
      Tracing.stop();
    }
  }

  @Test
  void tracedWorkerPoolRunShowsEachPostFlowFromSenderToWorker() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = dir.resolve("pool.ktrace");
      Tracing.start(file, TraceOptions.defaults().scenario("unit"));
      WorkerPool pool = WorkerPool.create(2);
      pool.start();
      CountDownLatch done = new CountDownLatch(200);
      for (int i = 0; i < 200; i++) {
        pool.dispatch(done::countDown);
      }
      done.await();
      pool.stop();
      TraceSummary summary = Tracing.stop();
      assertTrue(summary.events() > 400, summary.toString());

      try (TraceFile trace = TraceFile.open(file)) {
        assertNull(trace.damage());
        assertEquals("unit", trace.header().get("scenario"));
        String sender = Thread.currentThread().getName();
        Map<Long, String> postedBy = new HashMap<>();
        Map<Long, String> ranOn = new HashMap<>();
        int[] duplicates = {0};
        Map<Long, Long> postedAt = new HashMap<>();
        int[] negativeDelays = {0};
        trace.forEach(e -> {
          String thread = trace.threads().get(e.thread());
          if (e.type() == EventType.POST && thread.equals(sender)) {
            postedBy.put(e.b(), thread);
          } else if (e.type() == EventType.CALLBACK && e.callbackKind() == CallbackKind.POST
              && postedBy.containsKey(e.b()) && ranOn.put(e.b(), thread) != null) {
            duplicates[0]++;
          }
          if (e.type() == EventType.POST) {
            postedAt.put(e.b(), e.time());
          }
        });
        // 200 dispatches, the two posts with which start() waits for each loop to turn, and the
        // two exits that stop() posts, from this thread too.
        assertEquals(204, postedBy.size(), "every post recorded with its flow id");
        assertEquals(postedBy.keySet(), ranOn.keySet(), "every post's flow reaches a callback");
        assertEquals(0, duplicates[0]);
        trace.forEach(e -> {
          Long posted = postedAt.get(e.b());
          if (e.type() == EventType.CALLBACK && posted != null && e.time() < posted) {
            negativeDelays[0]++;
          }
        });
        assertEquals(0, negativeDelays[0], "a callback never starts before its post");
        assertEquals(Set.of("worker-0", "worker-1"), new HashSet<>(ranOn.values()));
      }
    });
  }

  @Test
  void iterationsSplitIntoPollAndWorkAndTimersCarryTheirDeadline() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = dir.resolve("timer.ktrace");
      Tracing.start(file);
      Dispatcher d = Dispatchers.epoll("traced"); // it checks timerfd re-arms: epoll only
      Thread loop = new Thread(() -> d.run(RunType.RUN_UNTIL_EXIT), "traced-loop");
      loop.start();
      CountDownLatch armed = new CountDownLatch(1);
      d.post(() -> {
        d.createTimer(() -> { }).enable(Duration.ofHours(1));
        armed.countDown();
      });
      armed.await();
      // Post until one finds the loop asleep: it then slept, with its timerfd armed an hour out.
      long before = d.stats().wakeupsWritten();
      while (d.stats().wakeupsWritten() == before) {
        CountDownLatch ran = new CountDownLatch(1);
        d.post(ran::countDown);
        ran.await();
      }
      CountDownLatch fired = new CountDownLatch(1);
      d.post(() -> d.createTimer(fired::countDown).enable(Duration.ofMillis(1)));
      fired.await();
      d.exit();
      loop.join();
      d.close();
      Tracing.stop();

      try (TraceFile trace = TraceFile.open(file)) {
        List<TraceEvent> events = new ArrayList<>();
        trace.forEach(e -> events.add(e.copy()));
        List<TraceEvent> arms = events.stream().filter(e -> e.type() == EventType.TIMER_ARM)
            .toList();
        assertEquals(2, arms.size());
        TraceEvent soon = arms.get(1);
        TraceEvent firedRecord = events.stream()
            .filter(e -> e.callbackKind() == CallbackKind.TIMER).findFirst().orElseThrow();
        assertEquals(soon.a(), firedRecord.b(), "the fire record carries the armed deadline");
        assertTrue(firedRecord.time() >= firedRecord.b(), "lateness is never negative");
        assertEquals("CountDownLatch.countDown", firedRecord.label());
        assertTrue(events.stream().anyMatch(e -> e.type() == EventType.POLL && e.kind() == 1),
            "a blocking poll");
        assertTrue(events.stream().anyMatch(e -> e.type() == EventType.TIMERFD_ARM
            && e.a() == arms.get(0).a()), "the timerfd armed for the hour-long timer");
        long polls = events.stream().filter(e -> e.type() == EventType.POLL).count();
        long works = events.stream().filter(e -> e.type() == EventType.WORK).count();
        assertEquals(polls, works, "every iteration is one poll and one work slice");
        assertEquals("traced-loop", trace.threads().get(firedRecord.thread()));
      }
    });
  }

  @Test
  void slotUpdatesAreTracedFromSetThroughEachWorkerToCompletion() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = dir.resolve("slots.ktrace");
      Tracing.start(file);
      WorkerPool pool = WorkerPool.create(2);
      pool.start();
      try (Dispatcher main = Dispatchers.create("main")) {
        Slot<String> slot = RecordedRun.slotOnEveryLoop(main, pool);
        slot.set(d -> "v1");
        slot.runOnAllThreads(v -> { }, main::exit);
        main.run(RunType.RUN_UNTIL_EXIT);
      }
      pool.stop();
      Tracing.stop();
      try (TraceFile trace = TraceFile.open(file)) {
        List<TraceEvent> events = new ArrayList<>();
        trace.forEach(e -> events.add(e.copy()));
        List<TraceEvent> sets = events.stream().filter(e -> e.type() == EventType.SLOT_SET)
            .toList();
        assertEquals(2, sets.size(), "set() and runOnAllThreads()");
        long pushFlow = sets.get(1).b();
        long applied = events.stream().filter(e -> e.callbackKind() == CallbackKind.SLOT_UPDATE
            && e.b() == pushFlow && !e.label().endsWith("complete")).count();
        assertEquals(2, applied, "one apply per worker, joined by the flow id");
        TraceEvent complete = only(events, EventType.SLOT_COMPLETE);
        assertEquals(pushFlow, complete.b());
      }
    });
  }

  @Test
  void aFullBufferFlushedWhileItsOwnerStillHoldsItKeepsTheOwnersNextRecord() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = dir.resolve("full.ktrace");
      TraceSession session = Tracing.start(file);
      for (int i = 0; i < TraceBuffer.RECORDS; i++) {
        Tracing.mark("m");
      }
      // Wait until the writer has flushed the full buffer (the file holds all its records; it is
      // the temporary file until stop() renames it).
      while (java.nio.file.Files.size(session.writingTo())
          < (long) TraceBuffer.RECORDS * TraceRecordDescriptor.SIZE) {
        Thread.onSpinWait();
      }
      Tracing.mark("after");
      Thread other = new Thread(() -> Tracing.mark("other"), "other");
      other.start();
      other.join();
      Tracing.stop();
      try (TraceFile trace = TraceFile.open(file)) {
        Map<String, Integer> marksByThread = new HashMap<>();
        trace.forEach(e -> marksByThread.merge(trace.threads().get(e.thread()) + ":" + e.label(),
            1, Integer::sum));
        String me = Thread.currentThread().getName();
        assertEquals(Map.of(me + ":m", TraceBuffer.RECORDS, me + ":after", 1, "other:other", 1),
            marksByThread);
      }
    });
  }

  @Test
  void aTimerThatReArmsItselfIsTracedWithTheDeadlineItFiredFor() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = dir.resolve("rearm.ktrace");
      Tracing.start(file);
      try (Dispatcher d = Dispatchers.create("rearm")) {
        int[] left = {3};
        Timer[] self = new Timer[1];
        self[0] = d.createTimer(() -> {
          if (--left[0] > 0) {
            self[0].enable(Duration.ofMillis(1));
          }
        });
        self[0].enable(Duration.ofMillis(1));
        d.run(RunType.BLOCK);
      }
      Tracing.stop();
      try (TraceFile trace = TraceFile.open(file)) {
        List<TraceEvent> events = new ArrayList<>();
        trace.forEach(e -> events.add(e.copy()));
        List<Long> armed = events.stream().filter(e -> e.type() == EventType.TIMER_ARM)
            .map(TraceEvent::a).toList();
        List<Long> firedFor = events.stream().filter(e -> e.callbackKind() == CallbackKind.TIMER)
            .map(TraceEvent::b).toList();
        assertEquals(armed, firedFor, "each fire names the deadline it was armed for");
        assertTrue(events.stream().filter(e -> e.callbackKind() == CallbackKind.TIMER)
            .allMatch(e -> e.time() >= e.b()), "and so lateness is never negative");
      }
    });
  }

  @Test
  void recordsPastTheBufferMemoryCapAreDroppedAndCountedNotHeldInTheHeap() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Path file = dir.resolve("capped.ktrace");
      long oneBuffer = (long) TraceBuffer.RECORDS * TraceRecordDescriptor.SIZE;
      TraceSession session = Tracing.start(file,
          TraceOptions.defaults().maxBufferMemory(2 * oneBuffer));
      ThreadTrace t = Tracing.currentThread();
      int recorded = 3 * TraceBuffer.RECORDS;
      // Holding the session's monitor keeps the writer out (its flush is synchronized), as a
      // disk that cannot keep up would.
      synchronized (session) {
        for (int i = 0; i < recorded; i++) {
          t.record(EventType.MARK, 0, 0, 0, i, 0, 0);
        }
      }
      TraceSummary summary = Tracing.stop();
      // Two buffers fit under the cap; the third buffer's worth was dropped and counted.
      assertEquals(TraceBuffer.RECORDS, summary.dropped());
      assertEquals(recorded - TraceBuffer.RECORDS, summary.events());
      assertTrue(summary.toString().contains("dropped"), summary.toString());
      try (TraceFile trace = TraceFile.open(file)) {
        assertEquals(summary.events(), trace.eventCount());
      }
    });
  }

  @Test
  void marksSpansAndCountersAreRecorded() {
    Path file = dir.resolve("marks.ktrace");
    TraceSession session = Tracing.start(file);
    long start = session.now();
    Tracing.mark("phase one");
    Tracing.counter("requests in flight", 7);
    Tracing.span("phase", start);
    Tracing.stop();
    try (TraceFile trace = TraceFile.open(file)) {
      List<TraceEvent> events = new ArrayList<>();
      trace.forEach(e -> events.add(e.copy()));
      assertEquals("phase one", only(events, EventType.MARK).label());
      assertEquals(7, only(events, EventType.COUNTER).a());
      TraceEvent span = only(events, EventType.SPAN);
      assertEquals("phase", span.label());
      assertEquals(start, span.time());
    }
  }

  private static TraceEvent only(List<TraceEvent> events, EventType type) {
    List<TraceEvent> matching = events.stream().filter(e -> e.type() == type).toList();
    assertEquals(1, matching.size(), "exactly one " + type + " in " + matching);
    return matching.get(0);
  }
}
