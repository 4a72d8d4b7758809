package io.kallisto.trace.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Chrome JSON export back as a viewer would (every number a double) and checks what
 * issue 18 asks of it; shared by the tests that export real and golden traces.
 */
public final class ChromeJsonCheck {
  /** The export's events. */
  public final List<JsonNode> events = new ArrayList<>();
  /** The whole document. */
  public final JsonNode root;
  /**
   * Pairs of slices on one thread where one ends within 3 ns before the next begins: slices that
   * touched in the trace, written apart (see ChromeTraceExporter.writtenEnd).
   */
  public long touchingPairs;
  /** Parses {@code json}. */
  public ChromeJsonCheck(Path json) throws IOException {
    root = new ObjectMapper().readTree(json.toFile());
    root.get("traceEvents").forEach(events::add);
  }

  /** The events of phase {@code ph}. */
  public List<JsonNode> phase(String ph) {
    return events.stream().filter(e -> e.get("ph").asText().equals(ph)).toList();
  }

  /**
   * No two complete slices on one thread overlap or touch, and none outlives the slice it starts
   * in, when {@code ts + dur} is added in doubles as a JavaScript reader does: either in that
   * order, or as speedscope 1.25 does, {@code (ts - first) + dur} against {@code next - first}
   * where {@code first} is the thread's first {@code ts}. A slice must end strictly before the
   * next starts: at equal times, readers differ in which they take first.
   */
  public void slicesNestInDoubles() {
    touchingPairs = 0;
    slicesNestInDoubles(false);
    slicesNestInDoubles(true);
  }

  private void slicesNestInDoubles(boolean relative) {
    Map<Integer, List<double[]>> byThread = new HashMap<>();
    Map<Integer, Double> first = new HashMap<>();
    for (JsonNode e : phase("X")) {
      first.merge(e.get("tid").asInt(), e.get("ts").asDouble(), Math::min);
    }
    for (JsonNode e : phase("X")) {
      double t0 = relative ? first.get(e.get("tid").asInt()) : 0;
      double ts = e.get("ts").asDouble() - t0;
      double end = ts + e.get("dur").asDouble();
      byThread.computeIfAbsent(e.get("tid").asInt(), t -> new ArrayList<>())
          .add(new double[] {ts, end});
    }
    for (Map.Entry<Integer, List<double[]>> t : byThread.entrySet()) {
      List<double[]> slices = t.getValue();
      slices.sort(Comparator.<double[]>comparingDouble(s -> s[0])
          .thenComparing(Comparator.<double[]>comparingDouble(s -> s[1]).reversed()));
      Deque<double[]> open = new ArrayDeque<>();
      for (double[] s : slices) {
        while (!open.isEmpty() && (open.peek()[1] < s[0]
            || open.peek()[1] == s[0] && open.peek()[0] == open.peek()[1])) {
          double[] ended = open.pop(); // ended before s starts (a point ends where it is)
          if (!relative && s[0] - ended[1] < 0.003 && ended[1] > ended[0] && s[1] > s[0]) {
            touchingPairs++;
          }
        }
        double[] parent = open.peek();
        assertTrue(parent == null || s[1] <= parent[1], () -> "on tid " + t.getKey() + " ["
            + s[0] + ", " + s[1] + "] (doubles" + (relative ? ", from the thread's first ts"
            : "") + ") crosses or touches the end of [" + parent[0] + ", "
            + parent[1] + "]");
        open.push(s);
      }
    }
  }

  /**
   * Every arrow is bound to complete slices at both ends: one {@code flow_out} and at least one
   * {@code flow_in} per {@code bind_id}, on {@code "X"} events only; no free-standing flow
   * events. Returns the number of arrows (flow_in ends).
   */
  public long everyFlowIsBoundAtBothEnds() {
    assertTrue(phase("s").isEmpty() && phase("f").isEmpty() && phase("t").isEmpty(),
        "no free-standing flow events");
    Map<String, Integer> outs = new HashMap<>();
    Map<String, Integer> ins = new HashMap<>();
    for (JsonNode e : events) {
      if (!e.has("bind_id")) {
        continue;
      }
      assertEquals("X", e.get("ph").asText(), e.toString());
      String id = e.get("bind_id").asText();
      boolean out = e.path("flow_out").asBoolean(false);
      boolean in = e.path("flow_in").asBoolean(false);
      assertTrue(out ^ in, "one direction: " + e);
      (out ? outs : ins).merge(id, 1, Integer::sum);
    }
    assertEquals(outs.keySet(), ins.keySet(), "every flow has both ends");
    outs.forEach((id, n) -> assertEquals(1, n, "one start for flow " + id));
    return ins.values().stream().mapToLong(Integer::longValue).sum();
  }

  /**
   * Requests are slices: server requests complete slices with their kind, client requests async
   * slices; only requests cut off by the trace's ends stay instants. Every request record of the
   * trace is accounted for.
   */
  public void requestsAreSlices(TraceFile trace) {
    long records = trace.countByType().getOrDefault(EventType.REQUEST_BEGIN, 0L)
        + trace.countByType().getOrDefault(EventType.REQUEST_END, 0L);
    long server = 0;
    for (JsonNode x : phase("X")) {
      if (x.get("cat").asText().equals("request")) {
        server++;
        assertTrue(x.get("args").has("kind") && x.get("args").has("latency_us"), x.toString());
        assertFalse(x.get("name").asText().matches(".*\\d.*"), "no id in the name: " + x);
      }
    }
    long client = phase("b").stream().filter(b -> b.get("cat").asText().equals("request"))
        .count();
    long loose = phase("i").stream().filter(i -> i.get("name").asText().startsWith("request-"))
        .count();
    assertEquals(records, 2 * (server + client) + loose, "every request record is drawn");
    if (records > 0) {
      assertTrue(server + client > loose, server + " + " + client + " slices, " + loose
          + " loose");
    }
  }

  /** Every counter the trace records has a track, and so do the derived ones it implies. */
  public void everyCounterIsPresent(TraceFile trace) {
    Set<String> recorded = new HashSet<>();
    boolean[] connections = {false};
    boolean[] requests = {false};
    trace.forEach(e -> {
      if (e.type() == EventType.COUNTER) {
        recorded.add(e.label());
      } else if (e.type() == EventType.CONNECTION_OPEN && e.kind() == 0) {
        connections[0] = true;
      } else if (e.type() == EventType.REQUEST_END) {
        requests[0] = true;
      }
    });
    Set<String> exported = new HashSet<>();
    phase("C").forEach(c -> exported.add(c.get("name").asText()));
    if (connections[0]) {
      recorded.add(DerivedCounters.ACTIVE_CONNECTIONS);
    }
    if (requests[0]) {
      recorded.add(DerivedCounters.REQUESTS_PER_SECOND);
    }
    assertEquals(recorded, exported);
  }
}
