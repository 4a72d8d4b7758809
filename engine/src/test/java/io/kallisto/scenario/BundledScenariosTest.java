package io.kallisto.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.scenario.Scenario.Arrivals;
import io.kallisto.scenario.Scenario.BalancePolicy;
import io.kallisto.scenario.Scenario.ConfigPush;
import io.kallisto.scenario.Scenario.Distribution;
import io.kallisto.scenario.Scenario.Listener;
import io.kallisto.scenario.Scenario.ListenerMode;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.RequestKind;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario.ServiceTime;
import io.kallisto.scenario.Scenario.TimerStorm;
import io.kallisto.scenario.Scenario.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The bundled catalogue, {@link Scenarios#load}, and writing scenarios back out. */
class BundledScenariosTest {
  @TempDir Path dir;

  static Stream<String> bundledNames() {
    return Scenarios.bundled().stream().map(BundledScenario::name);
  }

  @Test
  void catalogueListsTheFiveScenariosInIndexOrderWithOneLinePurposes() {
    assertEquals(List.of("baseline-echo", "head-of-line-blocking", "accept-imbalance",
        "timer-storm", "config-push"), bundledNames().toList());
    for (BundledScenario b : Scenarios.bundled()) {
      assertFalse(b.purpose().isBlank(), b.name());
      assertFalse(b.purpose().contains("\n"), b.name());
      assertTrue(b.purpose().length() <= 180, b.name() + " purpose is " + b.purpose().length());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bundledNames")
  void everyBundledScenarioParsesAndRoundTripsThroughTheWriter(String name) {
    Scenario s = Scenarios.load(name);
    assertEquals(name, s.name());
    assertEquals(s, ScenarioParser.parse(ScenarioWriter.toText(s), name + ".json"));
  }

  @Test
  void bundledScenariosHaveTheSettingsTheirLessonsNeed() {
    Scenario baseline = Scenarios.load("baseline-echo");
    assertEquals(new Scenario("baseline-echo", baseline.description(), 2,
        new Listener(ListenerMode.REUSE_PORT, BalancePolicy.ROUND_ROBIN),
        new Workload(LoopMode.CLOSED, 16, 1, 0, Arrivals.POISSON,
            List.of(new RequestMix(RequestKind.ECHO, 1, ServiceTime.ZERO)), 64, 0),
        Duration.ofSeconds(5), Duration.ofSeconds(1), TimerStorm.NONE, ConfigPush.NONE, 1, false,
        1, Scenario.Engine.REAL, Scenario.SimulationSettings.DEFAULT), baseline);

    Scenario hol = Scenarios.load("head-of-line-blocking");
    assertEquals(new Listener(ListenerMode.SINGLE_ACCEPTOR, BalancePolicy.ROUND_ROBIN),
        hol.listener());
    assertEquals(List.of(new RequestMix(RequestKind.ECHO, 98, ServiceTime.ZERO),
        new RequestMix(RequestKind.SLEEP, 2,
            new ServiceTime(Distribution.FIXED, Duration.ofMillis(20)))), hol.workload().mix());

    Scenario imbalance = Scenarios.load("accept-imbalance");
    assertEquals(4, imbalance.workers());
    assertEquals(8, imbalance.workload().connections());
    assertEquals(List.of(new RequestMix(RequestKind.CPU, 1,
        new ServiceTime(Distribution.FIXED, Duration.ofNanos(50_000)))),
        imbalance.workload().mix());

    Scenario storm = Scenarios.load("timer-storm");
    assertEquals(new TimerStorm(5000, Duration.ofMillis(10)), storm.timers());
    assertEquals(LoopMode.OPEN, storm.workload().loop());
    assertEquals(2000.0, storm.workload().rate());
    assertEquals(Arrivals.POISSON, storm.workload().arrivals());

    assertEquals(new ConfigPush(Duration.ofMillis(50)), Scenarios.load("config-push").configPush());
  }

  @Test
  void loadReadsAFileWhenTheArgumentIsNotABundledName() throws Exception {
    Path file = Files.writeString(dir.resolve("mine.json"), "{\"workers\": 3}");
    Scenario s = Scenarios.load(file.toString());
    assertEquals("mine", s.name());
    assertEquals(3, s.workers());
  }

  @Test
  void unknownBundledNameListsTheBundledNamesAndSuggestsTheClosest() {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> Scenarios.load("timer-strom"));
    assertEquals("timer-strom: no bundled scenario or file by this name; allowed: baseline-echo,"
        + " head-of-line-blocking, accept-imbalance, timer-storm, config-push, or the path of a"
        + " scenario file (did you mean \"timer-storm\"?)", e.getMessage());
    assertEquals("timer-strom", e.source());
    assertEquals("", e.path());
  }

  @Test
  void writerSpellsDurationsAsTheParserReadsThemAndLeavesOutFieldsThatDoNotApply() {
    Scenario s = ScenarioParser.parse("{\"duration\": \"1.5s\", \"warmup\": \"250ms\","
        + " \"workload\": {\"loop\": \"open\", \"rate\": 0.5e3, \"arrivals\": \"constant\"}}",
        "w.json");
    String expected = """
        {
          "name" : "w",
          "description" : "",
          "workers" : 2,
          "listener" : {
            "mode" : "reuse-port"
          },
          "workload" : {
            "loop" : "open",
            "connections" : 16,
            "rate" : 500,
            "arrivals" : "constant",
            "mix" : [ {
              "kind" : "echo",
              "weight" : 1
            } ],
            "payloadBytes" : 64,
            "maxRequests" : 0
          },
          "duration" : "1500ms",
          "warmup" : "250ms",
          "seed" : 1,
          "tracing" : false,
          "loadThreads" : 1,
          "engine" : "real"
        }
        """;
    assertEquals(expected, ScenarioWriter.toText(s));
  }

  @Test
  void everyFieldTheParserKnowsIsWrittenForAFullScenario() {
    Scenario s = ScenarioParser.parse("""
        {"name": "full", "description": "all of it", "workers": 3,
         "listener": {"mode": "single-acceptor", "balance": "random-of-two"},
         "workload": {"loop": "closed", "connections": 5, "outstanding": 2,
           "mix": [{"kind": "sleep", "weight": 0.25,
                    "service": {"distribution": "exponential", "mean": "3ms"}}],
           "payloadBytes": 0, "maxRequests": 1000},
         "duration": "2m", "warmup": "30s", "timers": {"perWorker": 7, "interval": "3ms"},
         "configPush": {"every": "1s"}, "seed": -42, "tracing": true, "loadThreads": 2,
         "engine": "simulated",
         "simulation": {"cores": 3, "scheduler": "random", "latency": "20us"}}
        """, "full.json");
    var json = ScenarioWriter.toJson(s);
    assertEquals(ScenarioParser.SCENARIO_FIELDS, fieldNames(json));
    assertEquals(List.of("loop", "connections", "outstanding", "mix", "payloadBytes",
        "maxRequests"), fieldNames(json.get("workload")));
    assertEquals(ScenarioParser.LISTENER_FIELDS, fieldNames(json.get("listener")));
    assertEquals(ScenarioParser.MIX_FIELDS, fieldNames(json.get("workload").get("mix").get(0)));
    assertEquals(ScenarioParser.SERVICE_FIELDS,
        fieldNames(json.get("workload").get("mix").get(0).get("service")));
    assertEquals(ScenarioParser.TIMERS_FIELDS, fieldNames(json.get("timers")));
    assertEquals(ScenarioParser.CONFIG_PUSH_FIELDS, fieldNames(json.get("configPush")));
    assertEquals(ScenarioParser.SIMULATION_FIELDS, fieldNames(json.get("simulation")));
    assertEquals(s, ScenarioParser.parse(json.toString(), "full.json"));
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    return node.properties().stream().map(java.util.Map.Entry::getKey).toList();
  }
}
