package io.kallisto.trace.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.RecordedRun;
import io.kallisto.trace.TraceFile;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real run, exported and read back as a viewer would. */
class ChromeTraceExporterTest {
  @TempDir static Path dir;
  private static Map<Integer, String> threads;
  private static ExportSummary summary;
  private static List<JsonNode> events;
  private static JsonNode root;

  @BeforeAll
  static void recordAndExport() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Path trace = RecordedRun.record(dir.resolve("run.ktrace"));
      Path json = dir.resolve("run.json");
      try (TraceFile file = TraceFile.open(trace)) {
        assertNull(file.damage());
        threads = new TreeMap<>(file.threads());
        summary = new ChromeTraceExporter(file).export(json, null);
      }
      root = new ObjectMapper().readTree(json.toFile());
      events = new ArrayList<>();
      root.get("traceEvents").forEach(events::add);
    });
  }

  @Test
  void everyEventHasTheFieldsAViewerNeeds() {
    assertEquals(summary.events(), events.size());
    for (JsonNode e : events) {
      for (String field : new String[] {"ph", "ts", "pid", "tid", "name"}) {
        assertTrue(e.has(field), "no " + field + " in " + e);
      }
      assertTrue(e.get("ts").isNumber(), e.toString());
      assertEquals(ChromeTraceExporter.PID, e.get("pid").asInt());
      if (e.get("ph").asText().equals("X")) {
        assertTrue(e.has("dur") && e.get("dur").asDouble() >= 0, e.toString());
      }
    }
    assertEquals("ns", root.get("displayTimeUnit").asText());
    assertEquals("recorded-run", root.get("metadata").get("scenario").asText());
  }

  @Test
  void everyThreadIsNamedAndTheProcessIsKallisto() {
    Map<Integer, String> named = new HashMap<>();
    String process = null;
    for (JsonNode e : phase("M")) {
      if (e.get("name").asText().equals("thread_name")) {
        named.put(e.get("tid").asInt(), e.get("args").get("name").asText());
      } else if (e.get("name").asText().equals("process_name")) {
        process = e.get("args").get("name").asText();
      }
    }
    assertEquals(threads, new TreeMap<>(named));
    assertEquals("kallisto", process);
    assertTrue(threads.values().containsAll(Set.of("worker-0", "worker-1")), threads::toString);
  }

  @Test
  void completeSlicesNestOnEveryThread() throws Exception {
    ChromeJsonCheck check = new ChromeJsonCheck(dir.resolve("run.json"));
    check.slicesNestInDoubles();
    Set<Integer> threadsWithSlices = new HashSet<>();
    phase("X").forEach(e -> threadsWithSlices.add(e.get("tid").asInt()));
    assertTrue(threadsWithSlices.size() >= 3, "slices on the workers and the main loop");
    // The run's span encloses the main loop's slices on the same thread but is recorded after
    // they were written, so it goes to an async track; the engine's own slices always nest.
    assertEquals(1, summary.unnestedSlices());
    List<JsonNode> async = events.stream().filter(e -> e.get("ph").asText().matches("[be]"))
        .toList();
    assertEquals(2, async.size(), async::toString);
    async.forEach(e -> assertEquals("recorded run", e.get("name").asText()));
  }

  @Test
  void callbacksNestInsideWorkAndCarryTheirKind() {
    List<JsonNode> callbacks = new ArrayList<>();
    for (JsonNode e : phase("X")) {
      if (e.has("args") && e.get("args").has("kind")) {
        callbacks.add(e);
      }
    }
    Set<String> kinds = new HashSet<>();
    callbacks.forEach(c -> kinds.add(c.get("cat").asText()));
    assertTrue(kinds.containsAll(Set.of("post", "timer", "slot update")), kinds::toString);
    JsonNode timer = callbacks.stream().filter(c -> c.get("cat").asText().equals("timer"))
        .findFirst().orElseThrow();
    assertTrue(timer.get("args").get("lateness_us").asDouble() >= 0, timer.toString());
    assertTrue(timer.get("args").has("deadline_us"), timer.toString());
    assertTrue(phase("X").stream().anyMatch(e -> e.get("name").asText().equals("poll (idle)")));
    assertTrue(phase("X").stream().anyMatch(e -> e.get("name").asText().equals("work")));
  }

  @Test
  void everyPostAndSlotFlowIsBoundToSlicesAtBothEnds() throws Exception {
    ChromeJsonCheck check = new ChromeJsonCheck(dir.resolve("run.json"));
    long arrows = check.everyFlowIsBoundAtBothEnds();
    assertEquals(arrows, summary.flows());
    Map<String, List<JsonNode>> byId = new HashMap<>();
    for (JsonNode e : events) {
      if (e.has("bind_id")) {
        byId.computeIfAbsent(e.get("bind_id").asText(), k -> new ArrayList<>()).add(e);
      }
    }
    long posts = byId.keySet().stream().filter(id -> id.startsWith("p")).count();
    assertTrue(posts >= RecordedRun.POSTS, "a flow per dispatched post: " + posts);
    // An arrow from each slot set to every update it caused, and to its completion on main.
    long[] receivers = {0};
    try (TraceFile trace = TraceFile.open(dir.resolve("run.ktrace"))) {
      trace.forEach(e -> {
        if (e.type() == EventType.SLOT_COMPLETE
            || e.callbackKind() == CallbackKind.SLOT_UPDATE) {
          receivers[0]++;
        }
      });
    }
    long slotArrows = byId.entrySet().stream().filter(f -> f.getKey().startsWith("s"))
        .mapToLong(f -> f.getValue().size() - 1).sum();
    assertTrue(receivers[0] >= 5, "both workers get set() and runOnAllThreads()");
    assertEquals(receivers[0], slotArrows, byId.keySet()::toString);
    for (List<JsonNode> ends : byId.values()) {
      JsonNode out = ends.stream().filter(e -> e.has("flow_out")).findFirst().orElseThrow();
      assertTrue(Set.of("post", "slot set").contains(out.get("name").asText()), out.toString());
      assertEquals(0, out.get("dur").asDouble(), "a post is a slice of no length: " + out);
    }
  }

  @Test
  void countersMarksAndPostsAreWritten() {
    Set<String> counters = new HashSet<>();
    phase("C").forEach(c -> {
      assertTrue(c.get("args").has("value"), c.toString());
      counters.add(c.get("name").asText());
    });
    assertTrue(counters.containsAll(Set.of("queue depth", "pushes")), counters::toString);
    List<JsonNode> instants = phase("i");
    instants.forEach(i -> assertEquals("t", i.get("s").asText(), i.toString()));
    Set<String> names = new HashSet<>();
    instants.forEach(i -> names.add(i.get("name").asText()));
    assertTrue(names.containsAll(Set.of("timer-arm", "config push")), names::toString);
    Set<String> points = new HashSet<>();
    phase("X").forEach(x -> points.add(x.get("name").asText()));
    assertTrue(points.containsAll(Set.of("post", "slot set", "slot complete")), points::toString);
    assertFalse(events.stream().anyMatch(e -> e.get("ts").asDouble() < 0), "no time before 0");
  }

  /**
   * A slice is written to end as many nanoseconds early as it is deep, so that in doubles, added
   * either as {@code ts + dur} or as speedscope does, {@code (ts - first) + dur}, a slice ends
   * strictly before the next one starts, and a child strictly before its parent ends.
   */
  @Test
  void touchingSlicesStayApartInEitherOrderOfDoubleArithmetic() {
    java.util.Random random = new java.util.Random(18);
    for (int i = 0; i < 200_000; i++) {
      long first = random.nextLong(0, 3_600_000_000_000L); // an hour of nanoseconds
      long start = first + random.nextLong(0, 3_600_000_000_000L);
      long end = start + random.nextLong(1, i % 2 == 0 ? 2_000 : 50_000_000);
      for (int level = 1; level <= 3; level++) {
        long written = ChromeTraceExporter.writtenEnd(start, end, level);
        double t0 = Double.parseDouble(ChromeTraceExporter.micros(first));
        double s = Double.parseDouble(ChromeTraceExporter.micros(start));
        double d = Double.parseDouble(ChromeTraceExporter.between(start, written));
        double next = Double.parseDouble(ChromeTraceExporter.micros(end)); // the next slice
        long st = start;
        long en = end;
        assertTrue(written == start || s + d < next, () -> st + " to " + en + ": absolute");
        assertTrue(written == start || (s - t0) + d < next - t0, () -> st + " to " + en
            + ": relative to the first event");
        long parent = ChromeTraceExporter.writtenEnd(start - 5, end, level - 1);
        assertTrue(level == 1 || written < parent || written == start, "a child ends first");
      }
    }
    assertEquals(1_000, ChromeTraceExporter.writtenEnd(1_000, 1_000, 1), "never before it starts");
    assertEquals(1_125, ChromeTraceExporter.writtenEnd(1_026, 1_126, 1));
    assertEquals(1_124, ChromeTraceExporter.writtenEnd(1_026, 1_126, 2));
  }

  @Test
  void microsecondsKeepEveryNanosecond() {
    assertEquals("0.000", ChromeTraceExporter.micros(0));
    assertEquals("1.005", ChromeTraceExporter.micros(1005));
    assertEquals("1234.567", ChromeTraceExporter.micros(1_234_567));
    assertEquals("-0.050", ChromeTraceExporter.micros(-50));
  }

  @Test
  void microsecondsAreExactAtTheEndsOfTheLongRangeAndForDifferencesBeyondIt() {
    // abs(Long.MIN_VALUE) is Long.MIN_VALUE: formatting it once gave "--9223372036854775.00-808".
    assertEquals("-9223372036854775.808", ChromeTraceExporter.micros(Long.MIN_VALUE));
    assertEquals("9223372036854775.807", ChromeTraceExporter.micros(Long.MAX_VALUE));
    assertEquals("18446744073709551.615",
        ChromeTraceExporter.between(Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals("-18446744073709551.615",
        ChromeTraceExporter.between(Long.MAX_VALUE, Long.MIN_VALUE));
    assertEquals("0.001", ChromeTraceExporter.between(Long.MAX_VALUE - 1, Long.MAX_VALUE));
    assertEquals("-1.000", ChromeTraceExporter.between(1000, 0));
  }

  private static List<JsonNode> phase(String ph) {
    return events.stream().filter(e -> e.get("ph").asText().equals(ph)).toList();
  }

  /** Exact nanoseconds from the microseconds the JSON holds, as a viewer converts them. */
  private static long nanos(JsonNode micros) {
    return new BigDecimal(micros.asText()).movePointRight(3).longValueExact();
  }
}
