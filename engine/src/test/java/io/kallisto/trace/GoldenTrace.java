package io.kallisto.trace;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the golden fixture of the current format version,
 * {@code src/test/resources/traces/v2-small.ktrace}: a small trace on a virtual clock whose
 * bytes depend on nothing but this code. Run {@link #main} from the engine directory to
 * regenerate it; {@link TraceGoldenFixtureTest} checks that the committed bytes still come out.
 *
 * <p><b>Note:</b> the fixture pins format version 2. A change to the layout must bump
 * {@link TraceFileDescriptor#VERSION}, add a new fixture next to this one, and keep the reader
 * reading every older {@code v<N>-*.ktrace} fixture as it is; never regenerate an old fixture
 * to make a test pass. {@code v1-small.ktrace} was written by the version 1 writer, with the
 * same threads, strings and records and the scenario fact {@code "golden v1"}.
 */
final class GoldenTrace {
  static final String RESOURCE = "/traces/v2-small.ktrace";
  static final String V1_RESOURCE = "/traces/v1-small.ktrace";
  static final String MAIN_THREAD = "golden-main";
  static final String WORKER_THREAD = "golden-worker";
  /** A dispatcher's trace id: post flow ids are {@code traceId << 40 | queue sequence}. */
  static final int TRACE_ID = 3;
  /** How the v2 fixture ends: cut by SIGTERM at 9,500 ns, 4.4 s into a 30 s run. */
  static final TraceEnd END = TraceEnd.interrupted(9_500, "SIGTERM", 30_000_000_000L,
      4_400_000_000L);

  private GoldenTrace() {}

  /** The records, per thread, in recording order. Times are virtual nanoseconds. */
  static List<RawTrace.Rec> records(int mainId, int workerId, int mark, int spanLabel,
      int counter, int postLabel, int timerLabel, int slotLabel) {
    long flow = (long) TRACE_ID << 40 | 1;
    return List.of(
        // main thread: a slot update goes out, a post to the worker, a connection and request
        new RawTrace.Rec(mainId, EventType.POLL.code(), 1, 0, 0, 1_000, 400, 2_000),
        new RawTrace.Rec(mainId, EventType.WORK.code(), 0, 0, 0, 1_400, 300, 0),
        new RawTrace.Rec(mainId, EventType.SLOT_SET.code(), 0, 0, 2, 1_450, 0, 1),
        new RawTrace.Rec(mainId, EventType.POST.code(), 1, 0, TRACE_ID, 1_500, 0, flow),
        new RawTrace.Rec(mainId, EventType.TIMER_ARM.code(), 0, 0, 17, 1_550, 9_000, 0),
        new RawTrace.Rec(mainId, EventType.TIMERFD_ARM.code(), 0, 0, 0, 1_560, 9_000, 0),
        new RawTrace.Rec(mainId, EventType.CONNECTION_OPEN.code(), 0, 0, 0, 1_600, 77, 0),
        new RawTrace.Rec(mainId, EventType.REQUEST_BEGIN.code(), 0, 0, 0, 1_610, 501, 77),
        new RawTrace.Rec(mainId, EventType.MARK.code(), 0, 0, mark, 1_620, 0, 0),
        new RawTrace.Rec(mainId, EventType.SLOT_COMPLETE.code(), 0, 0, 2, 2_500, 0, 1),
        new RawTrace.Rec(mainId, EventType.REQUEST_END.code(), 0, 0, 0, 2_600, 501, 77),
        new RawTrace.Rec(mainId, EventType.CONNECTION_CLOSE.code(), 0, 0, 0, 2_700, 77, 0),
        new RawTrace.Rec(mainId, EventType.TIMER_DISABLE.code(), 0, 0, 17, 2_800, 0, 0),
        // worker thread: runs the post and the slot update, a timer, a file event, a span
        new RawTrace.Rec(workerId, EventType.CALLBACK.code(), CallbackKind.POST.code(), 0,
            postLabel, 1_700, 50, flow),
        new RawTrace.Rec(workerId, EventType.CALLBACK.code(), CallbackKind.SLOT_UPDATE.code(), 0,
            slotLabel, 1_800, 20, 1),
        new RawTrace.Rec(workerId, EventType.CALLBACK.code(), CallbackKind.TIMER.code(), 18,
            timerLabel, 9_010, 30, 9_000),
        new RawTrace.Rec(workerId, EventType.CALLBACK.code(), CallbackKind.FILE_EVENT.code(), 1,
            postLabel, 9_100, 15, 12),
        new RawTrace.Rec(workerId, EventType.COUNTER.code(), 0, 0, counter, 9_200, 3, 0),
        new RawTrace.Rec(workerId, EventType.SPAN.code(), 0, 0, spanLabel, 9_300, 700, 0));
  }

  /** Writes the fixture to {@code file}. Takes over {@link Tracing} while it runs. */
  static void write(Path file) throws InterruptedException {
    AtomicLong clock = new AtomicLong();
    TraceSession session = Tracing.start(file, TraceOptions.defaults()
        .virtualClock(clock::get)
        // Pinned so that a release does not change the bytes; a real trace has the version here.
        .fact("kallisto.version", "golden")
        .scenario("golden v2")
        .seed(7)
        .fact("note", "f\u00fcr \u6f22\u5b57"));
    try {
      // Ids follow the order of first use, so intern everything here, in a fixed order.
      int mark = session.intern("config pushed");
      int span = session.intern("phase");
      int counter = session.intern("queue depth");
      int post = session.intern("Golden lambda");
      int timer = session.intern("Golden.Timer");
      int slot = session.intern("slot 2 update");
      // On a virtual clock nothing is written before a buffer fills (none does here) or stop():
      // one pass writes the thread table, the strings, then each thread's records.
      recordOn(MAIN_THREAD, 0, mark, span, counter, post, timer, slot);
      recordOn(WORKER_THREAD, 1, mark, span, counter, post, timer, slot);
    } finally {
      Tracing.stop(END);
    }
  }

  /** Records the thread's share, on a thread of that name, which becomes thread {@code id}. */
  private static void recordOn(String name, int id, int mark, int span, int counter, int post,
      int timer, int slot) throws InterruptedException {
    Thread thread = new Thread(() -> {
      ThreadTrace t = Tracing.currentThread();
      if (t.id() != id) {
        throw new IllegalStateException("thread " + name + " got id " + t.id() + ", not " + id);
      }
      for (RawTrace.Rec r : records(0, 1, mark, span, counter, post, timer, slot)) {
        if (r.thread() == id) {
          t.record(EventType.ofCode(r.type()), r.kind(), r.small(), r.id(), r.time(), r.a(),
              r.b());
        }
      }
    }, name);
    thread.start();
    thread.join();
  }

  /** Regenerates the fixture; run from the engine directory. Only for a new format version. */
  public static void main(String[] args) throws InterruptedException {
    Path file = Path.of(args.length > 0 ? args[0] : "src/test/resources" + RESOURCE);
    write(file);
    System.out.println("wrote " + file.toAbsolutePath());
  }
}
