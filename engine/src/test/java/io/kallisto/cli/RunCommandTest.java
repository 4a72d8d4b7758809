package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.scenario.BundledScenario;
import io.kallisto.scenario.Scenarios;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RunCommandTest {
  @TempDir Path dir;

  static Stream<String> bundled() {
    return Scenarios.bundled().stream().map(BundledScenario::name);
  }

  @ParameterizedTest
  @MethodSource("bundled")
  void everyBundledScenarioRunsShortWithAConsistentSummaryAndAReadableTrace(String name)
      throws Exception {
    Path trace = dir.resolve(name + ".ktrace");
    Path json = dir.resolve(name + ".json");
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> CliRun.run("run", name,
        "--duration", "1s", "--trace", trace.toString(), "--json", json.toString()));
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("throughput"), r.out);
    assertTrue(r.out.contains("worker-0"), r.out);
    assertFalse(r.out.contains("warning:"), r.out);

    JsonNode s = new ObjectMapper().readTree(Files.readString(json));
    assertEquals(name, s.path("scenario").path("name").asText());
    assertEquals("1s", s.path("scenario").path("duration").asText());
    JsonNode load = s.path("load");
    assertEquals(load.path("sent").asLong(), load.path("answered").asLong(), "all answered");
    assertEquals(0, load.path("corrupt").asLong());
    long served = 0;
    long connections = 0;
    for (JsonNode w : s.path("workers")) {
      served += w.path("requests").asLong();
      connections += w.path("connections").asLong();
    }
    assertEquals(load.path("answered").asLong(), served, "the server counted what was answered");
    assertEquals(s.path("scenario").path("workload").path("connections").asLong(16),
        connections);
    assertTrue(load.path("measured").asLong() > 0, "something was measured");
    assertTrue(load.path("latency_us").path("p99").asDouble()
        >= load.path("latency_us").path("p50").asDouble());

    try (TraceFile t = TraceFile.open(trace)) {
      assertEquals(null, t.damage());
      assertEquals(name, t.header().get("scenario"));
      assertTrue(t.countByType().getOrDefault(EventType.REQUEST_END, 0L) >= 2 * served,
          "server and client both record every request's end");
      // Each worker's open-connections counter peaks at the connections it was handed.
      Map<String, Long> peak = new HashMap<>();
      t.forEach(e -> {
        if (e.type() == EventType.COUNTER && e.label().equals("open connections")) {
          peak.merge(t.threads().get(e.thread()), e.a(), Math::max);
        }
      });
      for (JsonNode w : s.path("workers")) {
        long handed = w.path("connections").asLong();
        assertEquals(handed, peak.getOrDefault(w.path("name").asText(), 0L).longValue(),
            "peak open connections of " + w.path("name").asText());
      }
    }
  }

  @Test
  void listNamesEveryBundledScenarioWithItsPurpose() {
    CliRun r = CliRun.run("run", "--list");
    assertEquals(0, r.exit, r.err);
    for (String name : new String[] {"baseline-echo", "head-of-line-blocking",
        "accept-imbalance", "timer-storm", "config-push"}) {
      assertTrue(r.out.lines().anyMatch(l -> l.startsWith(name + " ") && l.length() > 40),
          name + " missing from\n" + r.out);
    }
  }

  @Test
  void anUnknownFieldInAScenarioFileIsOneLineNamingItsPathWithExitCodeTwo() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"workers\": 2, \"listner\": {}}");
    CliRun r = CliRun.run("run", file.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    String line = r.err.strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.startsWith("kallisto run: " + file + ": $.listner: unknown field"), line);
    assertTrue(line.contains("listener"), "suggests the right name: " + line);
  }

  @Test
  void aWrongTypeIsOneLineNamingThePathWithExitCodeTwo() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"workload\": {\"connections\": \"many\"}}");
    CliRun r = CliRun.run("run", file.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertTrue(r.err.strip().startsWith("kallisto run: " + file + ": $.workload.connections:"),
        r.err);
    assertFalse(r.err.contains("\tat "), r.err);
  }

  @Test
  void anUnknownScenarioNameListsTheBundledOnes() {
    CliRun r = CliRun.run("run", "no-such-scenario");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertTrue(r.err.contains("no-such-scenario"), r.err);
    assertTrue(r.err.contains("baseline-echo"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
  }

  @Test
  void aBadDurationIsOneLineWithExitCodeTwo() {
    CliRun r = CliRun.run("run", "baseline-echo", "--duration", "fast");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertTrue(r.err.startsWith("kallisto run: --duration: "), r.err);
    CliRun tooShort = CliRun.run("run", "baseline-echo", "--duration", "1ms");
    assertEquals(KallistoCli.EXIT_USER_ERROR, tooShort.exit);
    assertEquals("kallisto run: --duration: \"1ms\" is out of range; allowed: a duration from"
        + " 100ms to 60m", tooShort.err.strip());
  }

  @Test
  void aJsonFileInAMissingFolderIsRefusedBeforeTheRun() {
    Path json = dir.resolve("nope/summary.json");
    CliRun r = CliRun.run("run", "baseline-echo", "--json", json.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertEquals("kallisto run: --json " + json + ": its folder does not exist", r.err.strip());
  }

  @Test
  void balanceOverrideTurnsOnTheSingleAcceptorWithThatPolicy() throws Exception {
    Path json = dir.resolve("s.json");
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run("run",
        "accept-imbalance", "--duration", "500ms", "--balance", "least-connections", "--json",
        json.toString()));
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("single acceptor, least-connections"), r.out);
    JsonNode s = new ObjectMapper().readTree(Files.readString(json));
    // 8 connections over 4 workers, least connections first: exactly 2 each.
    for (JsonNode w : s.path("workers")) {
      assertEquals(2, w.path("connections").asLong(), w.toString());
    }
  }

  @Test
  void anUnknownBalancePolicyIsOneLineListingTheAllowedOnes() {
    CliRun r = CliRun.run("run", "baseline-echo", "--balance", "fair");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertEquals("kallisto run: --balance: \"fair\" is not allowed; allowed: \"round-robin\","
        + " \"least-connections\", \"random-of-two\"", r.err.strip());
  }

  @Test
  void backendNioRunsTheWholeScenarioOnJavaNio() {
    String before = System.getProperty("kallisto.backend");
    try {
      CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run("run",
          "baseline-echo", "--duration", "500ms", "--backend", "nio"));
      assertEquals(0, r.exit, r.err);
      assertTrue(r.out.contains("baseline-echo: 2 workers on nio"), r.out);
      assertFalse(r.out.contains("warning:"), r.out);
    } finally {
      if (before == null) {
        System.clearProperty("kallisto.backend");
      } else {
        System.setProperty("kallisto.backend", before);
      }
    }
  }

  @Test
  void anUnknownBackendIsOneLineListingTheAllowedOnes() {
    CliRun r = CliRun.run("run", "baseline-echo", "--backend", "kqueue");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertTrue(r.err.strip().startsWith("kallisto: --backend=kqueue names no backend; allowed:"
        + " epoll, nio"), r.err);
  }

  @Test
  void noScenarioAndNoListIsAUserError() {
    CliRun r = CliRun.run("run");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertTrue(r.err.contains("--list"), r.err);
  }
}
