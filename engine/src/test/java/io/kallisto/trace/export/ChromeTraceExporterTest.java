package io.kallisto.trace.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  void completeSlicesNestOnEveryThread() {
    Map<Integer, List<long[]>> byThread = new HashMap<>();
    for (JsonNode e : phase("X")) {
      long start = nanos(e.get("ts"));
      byThread.computeIfAbsent(e.get("tid").asInt(), t -> new ArrayList<>())
          .add(new long[] {start, start + nanos(e.get("dur"))});
    }
    assertTrue(byThread.size() >= 3, "slices on the workers and the main loop");
    for (Map.Entry<Integer, List<long[]>> t : byThread.entrySet()) {
      List<long[]> slices = t.getValue();
      slices.sort(Comparator.<long[]>comparingLong(s -> s[0])
          .thenComparing(Comparator.<long[]>comparingLong(s -> s[1]).reversed()));
      Deque<long[]> open = new ArrayDeque<>();
      for (long[] s : slices) {
        while (!open.isEmpty() && open.peek()[1] <= s[0]) {
          open.pop();
        }
        long[] parent = open.peek();
        assertTrue(parent == null || s[1] <= parent[1], () -> "on tid " + t.getKey() + " ["
            + s[0] + ", " + s[1] + "] crosses the end of its parent [" + parent[0] + ", "
            + parent[1] + "]");
        open.push(s);
      }
    }
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
  void everyFlowStartHasOneFinishAtTheStartOfASliceOnItsThread() {
    Map<String, Integer> starts = new HashMap<>();
    Map<String, List<JsonNode>> finishes = new HashMap<>();
    for (JsonNode e : events) {
      String ph = e.get("ph").asText();
      if (ph.equals("s")) {
        assertNull(starts.put(e.get("id").asText(), e.get("tid").asInt()), "duplicate " + e);
      } else if (ph.equals("f")) {
        assertEquals("e", e.get("bp").asText(), e.toString());
        finishes.computeIfAbsent(e.get("id").asText(), k -> new ArrayList<>()).add(e);
      }
    }
    assertEquals(starts.keySet(), finishes.keySet(), "a finish for every start, and no other");
    Set<String> sliceStarts = new HashSet<>();
    phase("X").forEach(x -> sliceStarts.add(x.get("tid").asInt() + "@" + nanos(x.get("ts"))));
    for (Map.Entry<String, List<JsonNode>> f : finishes.entrySet()) {
      assertEquals(1, f.getValue().size(), "one finish for flow " + f.getKey());
      JsonNode end = f.getValue().get(0);
      assertTrue(sliceStarts.contains(end.get("tid").asInt() + "@" + nanos(end.get("ts"))),
          "flow " + f.getKey() + " ends where no slice starts: " + end);
    }
    long posts = starts.keySet().stream().filter(id -> !id.startsWith("slot-")).count();
    long slots = starts.keySet().stream().filter(id -> id.startsWith("slot-")).count();
    assertTrue(posts >= RecordedRun.POSTS, "a flow per dispatched post: " + posts);
    // set() and runOnAllThreads() each reach both workers; the latter's completion runs on main.
    assertEquals(5, slots, "slot flows " + starts.keySet());
    assertEquals(posts + slots, summary.flows());
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
    assertTrue(names.containsAll(Set.of("post", "timer-arm", "slot-set", "slot-complete",
        "config push")), names::toString);
    assertFalse(events.stream().anyMatch(e -> e.get("ts").asDouble() < 0), "no time before 0");
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
