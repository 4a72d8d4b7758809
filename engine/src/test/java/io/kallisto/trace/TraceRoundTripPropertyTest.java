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
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random records, written by several real threads through a real session and its writer
 * thread, read back with {@link TraceFile}: every field, thread name, label and each thread's
 * order survive. A property test over 100 seeded cases; a failure names its seed, which replays
 * it exactly.
 */
class TraceRoundTripPropertyTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  /** One record as a thread will write it; {@code label} is interned for labelled types. */
  record Spec(EventType type, int kind, int small, int id, long time, long a, long b,
      String label) {}

  /** What the reader should hand back for one record. */
  record Seen(EventType type, int kind, int small, int id, long time, long a, long b,
      String label) {}

  /** The seeds of the 100 cases. */
  static LongStream seeds() {
    return LongStream.range(0, 100);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyRecordReadsBackAsWrittenInEachThreadsOrder(long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    List<List<Spec>> threads = new ArrayList<>();
    int threadCount = 1 + random.nextInt(4);
    for (int i = 0; i < threadCount; i++) {
      List<Spec> script = new ArrayList<>();
      int length = random.nextInt(301);
      for (int r = 0; r < length; r++) {
        script.add(spec(random));
      }
      threads.add(script);
    }
    int repeat = 1 + random.nextInt(8);
    boolean virtualClock = random.nextBoolean();
    Path file = Files.createTempFile("roundtrip", ".ktrace");
    try {
      assertTimeoutPreemptively(LIMIT, () -> roundTrip(file, threads, repeat, virtualClock),
          "seed " + seed);
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
    return type.hasLabel();
  }

  private static final String[] COMMON_LABELS = {"poll", "queue depth", "DemoCommand lambda", ""};

  private static Spec spec(SplittableRandom random) {
    EventType[] types = EventType.values();
    return new Spec(types[random.nextInt(types.length)], random.nextInt(256),
        random.nextInt(0x10000), random.nextInt(), random.nextLong(), random.nextLong(),
        random.nextLong(), label(random));
  }

  /** A common label, or up to 40 random characters (no lone surrogates: UTF-8 cannot carry them). */
  private static String label(SplittableRandom random) {
    if (random.nextBoolean()) {
      return COMMON_LABELS[random.nextInt(COMMON_LABELS.length)];
    }
    StringBuilder sb = new StringBuilder();
    int length = random.nextInt(41);
    for (int i = 0; i < length; i++) {
      sb.append((char) random.nextInt(' ', 0xd800));
    }
    return sb.toString();
  }
}
