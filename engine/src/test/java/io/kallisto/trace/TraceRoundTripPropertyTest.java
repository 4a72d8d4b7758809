package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random records, written by several real threads through a real session and its writer
 * thread, read back with {@link TraceFile}: every field, thread name, label and each thread's
 * order survive.
 */
class TraceRoundTripPropertyTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  /** One record as a thread will write it; {@code label} is interned for labelled types. */
  record Spec(EventType type, int kind, int small, int id, long time, long a, long b,
      String label) {}

  /** What the reader should hand back for one record. */
  record Seen(EventType type, int kind, int small, int id, long time, long a, long b,
      String label) {}

  @Property(tries = 100)
  void everyRecordReadsBackAsWrittenInEachThreadsOrder(
      @ForAll("threads") @Size(min = 1, max = 4) List<List<Spec>> threads,
      @ForAll @IntRange(min = 1, max = 8) int repeat,
      @ForAll boolean virtualClock) throws Exception {
    Path file = Files.createTempFile("roundtrip", ".ktrace");
    try {
      assertTimeoutPreemptively(LIMIT, () -> roundTrip(file, threads, repeat, virtualClock));
    } finally {
      if (Tracing.isEnabled()) {
        Tracing.stop();
      }
      Files.deleteIfExists(file);
    }
  }

  private static void roundTrip(Path file, List<List<Spec>> scripts, int repeat,
      boolean virtualClock) throws Exception {
    TraceOptions options = TraceOptions.defaults().scenario("round trip");
    if (virtualClock) {
      options.virtualClock(() -> 42);
    }
    TraceSession session = Tracing.start(file, options);
    Map<String, List<Seen>> expected = new HashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < scripts.size(); i++) {
      List<Spec> script = scripts.get(i);
      // Repeating a script carries some threads past a buffer's 2048 records.
      String name = "prop-" + i + "-" + "\u00e9\u6f22".repeat(i) + "-" + script.size() * repeat;
      List<Seen> seen = new ArrayList<>();
      expected.put(name, seen);
      threads.add(new Thread(() -> {
        ThreadTrace t = Tracing.currentThread();
        for (int r = 0; r < repeat; r++) {
          for (Spec s : script) {
            boolean labelled = hasLabel(s.type());
            int id = labelled ? session.intern(s.label()) : s.id();
            t.record(s.type(), s.kind(), s.small(), id, s.time(), s.a(), s.b());
            seen.add(new Seen(s.type(), s.kind(), s.small(), id, s.time(), s.a(), s.b(),
                labelled ? s.label() : ""));
          }
        }
      }, name));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    TraceSummary summary = Tracing.stop();

    try (TraceFile trace = TraceFile.open(file)) {
      assertNull(trace.damage());
      assertEquals(virtualClock, trace.virtualClock());
      assertEquals("round trip", trace.header().get("scenario"));
      Map<String, List<Seen>> actual = new HashMap<>();
      for (String name : trace.threads().values()) {
        actual.put(name, new ArrayList<>());
      }
      trace.forEach(e -> actual.get(trace.threads().get(e.thread())).add(new Seen(e.type(),
          e.kind(), e.small(), e.id(), e.time(), e.a(), e.b(), e.label())));
      long total = expected.values().stream().mapToLong(List::size).sum();
      assertEquals(total, trace.eventCount());
      assertEquals(total, summary.events());
      assertEquals(expected, actual);
    }
  }

  private static boolean hasLabel(EventType type) {
    return type == EventType.CALLBACK || type == EventType.MARK || type == EventType.SPAN
        || type == EventType.COUNTER;
  }

  @Provide
  Arbitrary<List<List<Spec>>> threads() {
    return spec().list().ofMaxSize(300).list();
  }

  private static Arbitrary<Spec> spec() {
    Arbitrary<String> labels = Arbitraries.oneOf(
        Arbitraries.of("poll", "queue depth", "DemoCommand lambda", ""),
        // No lone surrogates: they are not text, and UTF-8 cannot carry them.
        Arbitraries.strings().withCharRange(' ', '\ud7ff').ofMaxLength(40));
    return Combinators.combine(
        Arbitraries.of(EventType.class),
        Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, 0xffff),
        Arbitraries.integers(),
        Arbitraries.longs(),
        Arbitraries.longs(),
        Arbitraries.longs(),
        labels).as(Spec::new);
  }
}
