package io.kallisto.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid scenarios with one field at a time replaced by a random value, removed, or joined by a
 * stray field: the parser either accepts the result, which then round-trips through the writer,
 * or throws a {@link ScenarioException} with a one-line message and a {@code $} path. Never
 * another exception. A property test over 100 seeded cases; a failure names its seed and the
 * JSON, which replay it exactly.
 */
class ScenarioMutationTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String SOURCE = "fuzz.json";
  private static final String[] STRINGS = {"", " ", "two", "open", "closed", "poisson",
      "constant", "reuse-port", "single-acceptor", "round-robin", "least-connections",
      "random-of-two", "echo", "cpu", "sleep", "fixed", "uniform", "exponential", "5s", "0s",
      "100ms", "1ms", "1h", "-1s", "1.5ns", "1.5s", "99999999999999999999m", "1e3ms", "5 s",
      "line\nbreak", "\u2028", "\u0000", "\"quoted\"", "x".repeat(200), "real", "simulated",
      "fifo", "random"};
  private static final String[] UNITS = {"ns", "us", "ms", "s", "m", "h", ""};
  private static final String[] FIELD_NAMES = {"rate", "balance", "outstanding", "service",
      "mean", "kind", "every", "perWorker", "Workers", "listner", "extra", "", "a b", "simulation",
      "cores"};

  /** The seeds of the 100 cases. */
  static LongStream seeds() {
    return LongStream.range(0, 100);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyFieldMutatedIsAcceptedOrRejectedWithAJsonPath(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ObjectNode> bases = bases();
    ObjectNode base = bases.get((int) (seed % bases.size()));
    List<List<Object>> places = new ArrayList<>();
    collect(base, new ArrayList<>(), places);
    for (List<Object> place : places) {
      ObjectNode doc = base.deepCopy();
      mutate(doc, place, random);
      check(doc.toString(), seed);
    }
  }

  private static void check(String json, long seed) {
    String context = "seed " + seed + ": " + json;
    Scenario s;
    try {
      s = ScenarioParser.parse(json, SOURCE);
    } catch (ScenarioException e) {
      assertTrue(e.path().startsWith("$"), context + " -> " + e.getMessage());
      assertTrue(e.getMessage().startsWith(SOURCE + ": " + e.path() + ": "), context);
      assertFalse(e.getMessage().matches("(?s).*[\\n\\r\\u2028\\u2029].*"), context);
      assertEquals(SOURCE, e.source(), context);
      return;
    }
    assertEquals(s, ScenarioParser.parse(ScenarioWriter.toText(s), SOURCE), context);
  }

  /** Every bundled scenario, written out in full, and one that uses every field. */
  private static List<ObjectNode> bases() {
    List<ObjectNode> bases = new ArrayList<>();
    for (BundledScenario b : Scenarios.bundled()) {
      bases.add(ScenarioWriter.toJson(Scenarios.load(b.name())));
    }
    bases.add(ScenarioWriter.toJson(ScenarioParser.parse("""
        {"listener": {"mode": "single-acceptor", "balance": "least-connections"},
         "workload": {"loop": "open", "rate": 1234.5, "arrivals": "constant",
           "mix": [{"kind": "echo", "weight": 3},
                   {"kind": "cpu", "service": {"distribution": "uniform", "mean": "40us"}},
                   {"kind": "sleep", "service": {"distribution": "exponential", "mean": "2ms"}}],
           "payloadBytes": 1048576, "maxRequests": 1e12},
         "timers": {"perWorker": 3, "interval": "1ms"}, "configPush": {"every": "60m"},
         "duration": "60m", "warmup": "30m", "seed": -9223372036854775808,
         "tracing": true, "loadThreads": 16}
        """, "full.json")));
    bases.add(ScenarioWriter.toJson(ScenarioParser.parse("""
        {"workers": 64, "workload": {"connections": 100000}, "engine": "simulated",
         "simulation": {"cores": 8, "scheduler": "random", "latency": "50us"}}
        """, "simulated.json")));
    return bases;
  }

  /** The path of every value in the tree, as field names and array indexes. */
  private static void collect(JsonNode node, List<Object> path, List<List<Object>> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        List<Object> child = new ArrayList<>(path);
        child.add(field.getKey());
        out.add(child);
        collect(field.getValue(), child, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        List<Object> child = new ArrayList<>(path);
        child.add(i);
        out.add(child);
        collect(node.get(i), child, out);
      }
    }
  }

  private static void mutate(ObjectNode doc, List<Object> place, SplittableRandom random) {
    JsonNode parent = doc;
    for (Object step : place.subList(0, place.size() - 1)) {
      parent = step instanceof String name ? parent.get(name) : parent.get((Integer) step);
    }
    Object last = place.get(place.size() - 1);
    int what = random.nextInt(10);
    if (parent instanceof ObjectNode object) {
      String name = (String) last;
      if (what == 0) {
        object.remove(name);
      } else if (what == 1) {
        object.set(FIELD_NAMES[random.nextInt(FIELD_NAMES.length)], value(random, 2));
      } else {
        object.set(name, value(random, 2));
      }
    } else {
      ArrayNode array = (ArrayNode) parent;
      int index = (Integer) last;
      if (what == 0) {
        array.remove(index);
      } else {
        array.set(index, value(random, 2));
      }
    }
  }

  private static JsonNode value(SplittableRandom random, int depth) {
    switch (random.nextInt(depth > 0 ? 12 : 10)) {
      case 0:
        return NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
      case 1:
        return NODES.textNode(random.nextInt(100_000) + UNITS[random.nextInt(UNITS.length)]);
      case 2:
        return NODES.textNode(random.nextInt(100) + "." + random.nextInt(1000)
            + UNITS[random.nextInt(UNITS.length)]);
      case 3:
        return NODES.numberNode(random.nextInt(-2, 300));
      case 4:
        return NODES.numberNode(random.nextLong());
      case 5:
        return NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-3, 14)));
      case 6:
        return NODES.numberNode(new BigDecimal(random.nextBoolean() ? "1e-400" : "1e400"));
      case 7:
        return NODES.numberNode(BigInteger.TWO.pow(64 + random.nextInt(100)));
      case 8:
        return random.nextBoolean() ? NODES.booleanNode(random.nextBoolean()) : NODES.nullNode();
      case 9:
        return random.nextBoolean() ? NODES.objectNode() : NODES.arrayNode();
      case 10: {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          array.add(value(random, depth - 1));
        }
        return array;
      }
      default: {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          object.set(FIELD_NAMES[random.nextInt(FIELD_NAMES.length)], value(random, depth - 1));
        }
        return object;
      }
    }
  }
}
