package io.kallisto.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ScenarioParser} builds from valid files, and the exact one-line message for each
 * kind of mistake. JSON is written with single quotes here and turned into double quotes.
 */
class ScenarioParserTest {
  private static final String TOP_FIELDS = "name, description, workers, listener, workload,"
      + " duration, warmup, timers, configPush, seed, tracing, loadThreads, engine, simulation";

  @TempDir Path dir;

  private static Scenario parse(String singleQuoted) {
    return ScenarioParser.parse(singleQuoted.replace('\'', '"'), "my.json");
  }

  private static void assertError(String expected, String singleQuoted) {
    ScenarioException e = assertThrows(ScenarioException.class, () -> parse(singleQuoted));
    assertEquals(expected, e.getMessage());
  }

  // Defaults

  @Test
  void emptyObjectGivesEveryDefaultAndTheSourcesBaseName() {
    Scenario s = ScenarioParser.parse("{}", "dir/my-test.json");
    Scenario expected = new Scenario("my-test", "", 2,
        new Listener(ListenerMode.REUSE_PORT, BalancePolicy.ROUND_ROBIN),
        new Workload(LoopMode.CLOSED, 16, 1, 0, Arrivals.POISSON,
            List.of(new RequestMix(RequestKind.ECHO, 1, ServiceTime.ZERO)), 64, 0),
        Duration.ofSeconds(5), Duration.ofSeconds(1), TimerStorm.NONE, ConfigPush.NONE, 1, false,
        1, Scenario.Engine.REAL, Scenario.SimulationSettings.DEFAULT);
    assertEquals(expected, s);
  }

  @Test
  void openLoopDefaultsToPoissonArrivalsAndOneOutstanding() {
    Workload w = parse("{'workload': {'loop': 'open', 'rate': 2500.5}}").workload();
    assertEquals(new Workload(LoopMode.OPEN, 16, 1, 2500.5, Arrivals.POISSON,
        ScenarioParser.DEFAULT_MIX, 64, 0), w);
  }

  @Test
  void requestWeightDefaultsToOneAndDistributionToFixed() {
    List<RequestMix> mix = parse("{'workload': {'mix': [{'kind': 'echo'},"
        + " {'kind': 'cpu', 'service': {'mean': '50us'}}]}}").workload().mix();
    assertEquals(List.of(new RequestMix(RequestKind.ECHO, 1, ServiceTime.ZERO),
        new RequestMix(RequestKind.CPU, 1,
            new ServiceTime(Distribution.FIXED, Duration.ofNanos(50_000)))), mix);
  }

  @Test
  void timersDefaultToTenMillisecondsAndConfigPushReadsItsPeriod() {
    Scenario s = parse("{'timers': {'perWorker': 100}, 'configPush': {'every': '1.5s'}}");
    assertEquals(new TimerStorm(100, Duration.ofMillis(10)), s.timers());
    assertEquals(new ConfigPush(Duration.ofMillis(1500)), s.configPush());
  }

  @Test
  void unsetWarmupIsCappedAtHalfTheDuration() {
    assertEquals(Duration.ofMillis(500), parse("{'duration': '1s'}").warmup());
    assertEquals(Duration.ofSeconds(1), parse("{'duration': '10m'}").warmup());
  }

  @Test
  void integersMayBeWrittenWithAnExponentOrAZeroFraction() {
    Scenario s = parse("{'workers': 4.0, 'workload': {'maxRequests': 1e12}}");
    assertEquals(4, s.workers());
    assertEquals(1_000_000_000_000L, s.workload().maxRequests());
  }

  @Test
  void fileIsNamedByItsBaseNameAndMessagesNameTheFileAsGiven() throws Exception {
    Path good = Files.writeString(dir.resolve("lab3.json"), "{\"seed\": 7}");
    assertEquals("lab3", ScenarioParser.parse(good).name());
    Path file = Files.writeString(dir.resolve("lab4.json"), "{\"workers\": 0}");
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse(file));
    assertEquals(file + ": $.workers: 0 is out of range; allowed: an integer from 1 to 256",
        e.getMessage());
    assertEquals(file.toString(), e.source());
    assertEquals("$.workers", e.path());
  }

  @Test
  void aNameIsAFileNameNeverAPathAndTheErrorIsAtItsJsonPath() {
    String allowed = "; allowed: a letter or digit, then up to 63 letters, digits, '.', '-' or"
        + " '_', without '..' (it names the file NAME.ktrace)";
    for (String bad : new String[] {"../victim", "/etc/victim", "a/b", "a:b", "..", ".x",
        "-x", "a..b", "a b", "caf\u00e9"}) {
      assertError("my.json: $.name: " + Messages.quote(bad) + " is not a name" + allowed,
          "{'name': '" + bad + "'}");
    }
    assertError("my.json: $.name: \"" + "n".repeat(40) + "...\" is not a name" + allowed,
        "{'name': '" + "n".repeat(65) + "'}");
    for (String good : new String[] {"n".repeat(64), "lab-3.v2_final", "7"}) {
      assertEquals(good, parse("{'name': '" + good + "'}").name());
    }
  }

  @Test
  void aFileNameThatIsNoNameGivesADefaultNameThatIs() throws Exception {
    Path spaced = Files.writeString(dir.resolve("my lab (v2).json"), "{}");
    assertEquals("my-lab--v2-", ScenarioParser.parse(spaced).name());
    Path dots = Files.writeString(dir.resolve("...json"), "{}");
    assertEquals("scenario", ScenarioParser.parse(dots).name());
    assertEquals("x".repeat(64), ScenarioParser.parse("{}", "x".repeat(80) + ".json").name());
  }

  @Test
  void aDeviceAFifoOrADirectoryIsRefusedBeforeAnyRead() throws Exception {
    Path fifo = io.kallisto.files.SpecialFiles.fifo(dir.resolve("pipe.json"));
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
        () -> {
          for (Path p : List.of(Path.of("/dev/zero"), fifo, dir)) {
            ScenarioException e =
                assertThrows(ScenarioException.class, () -> ScenarioParser.parse(p));
            assertEquals(p + ": is a " + (p == dir ? "directory" : p == fifo
                ? "FIFO (named pipe), not a regular file" : "character device, not a regular"
                + " file") + "; allowed: a scenario file", e.getMessage());
          }
        });
  }

  @Test
  void aFileOverTheLimitIsRefusedByTheBytesReadNotItsClaimedSize() throws Exception {
    Path big = Files.write(dir.resolve("big.json"), new byte[ScenarioParser.MAX_FILE_BYTES + 1]);
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse(big));
    assertEquals(big + ": is too large (more than 1048576 bytes); allowed: at most 1048576"
        + " bytes", e.getMessage());
  }

  // Errors, one of each kind

  @Test
  void unknownFieldNamesPathAndSuggestsClosestName() {
    assertError("my.json: $.listner: unknown field; allowed: " + TOP_FIELDS
        + " (did you mean \"listener\"?)", "{'listner': {}}");
  }

  @Test
  void unknownFieldWithNothingCloseListsTheAllowedNamesOnly() {
    assertError("my.json: $.workload.colour: unknown field; allowed: loop, connections,"
        + " outstanding, rate, arrivals, mix, payloadBytes, maxRequests",
        "{'workload': {'colour': 'red'}}");
  }

  @Test
  void unknownFieldWithAnOddNameIsQuotedInThePath() {
    assertError("my.json: $[\"work load\\n\"]: unknown field; allowed: " + TOP_FIELDS
        + " (did you mean \"workload\"?)", "{'work load\\n': 1}");
  }

  @Test
  void wrongTypeSaysWhatWasExpectedAndWhatCame() {
    assertError("my.json: $.workers: expected an integer, got a string (\"two\")",
        "{'workers': 'two'}");
    assertError("my.json: $.workers: expected an integer, got a number (2.5)",
        "{'workers': 2.5}");
    assertError("my.json: $.tracing: expected a boolean, got null", "{'tracing': null}");
    assertError("my.json: $.listener: expected an object, got an array", "{'listener': []}");
    assertError("my.json: $.duration: expected a duration string such as \"250ms\", got a"
        + " number (5)", "{'duration': 5}");
    assertError("my.json: $: expected an object, got an array", "[]");
  }

  @Test
  void outOfRangeNamesTheValueAndTheRange() {
    assertError("my.json: $.workload.rate: 0 is out of range; allowed: a number from 1 to"
        + " 10000000 requests per second", "{'workload': {'loop': 'open', 'rate': 0}}");
    assertError("my.json: $.workload.payloadBytes: 1048577 is out of range; allowed: an integer"
        + " from 0 to 1048576 bytes", "{'workload': {'payloadBytes': 1048577}}");
    assertError("my.json: $.workload.mix[0].weight: 0 is out of range; allowed: a number greater"
        + " than 0 and at most 1000000", "{'workload': {'mix': [{'kind': 'echo', 'weight': 0}]}}");
    assertError("my.json: $.duration: \"90m\" is out of range; allowed: a duration from 100ms to"
        + " 60m", "{'duration': '90m'}");
  }

  @Test
  void badEnumValueListsTheEnumsSpellings() {
    assertError("my.json: $.workload.loop: \"half-open\" is not a loop mode; allowed: \"open\","
        + " \"closed\"", "{'workload': {'loop': 'half-open'}}");
    assertError("my.json: $.listener.balance: \"least-connection\" is not a balance policy;"
        + " allowed: \"round-robin\", \"least-connections\", \"random-of-two\""
        + " (did you mean \"least-connections\"?)",
        "{'listener': {'mode': 'single-acceptor', 'balance': 'least-connection'}}");
  }

  @Test
  void badDurationStringShowsTheSyntax() {
    assertError("my.json: $.warmup: \"1 s\" is not a duration; allowed: a number and a unit"
        + " (ns, us, ms, s or m), such as \"250ms\", \"1.5s\" or \"2m\"", "{'warmup': '1 s'}");
  }

  @Test
  void openLoopWithoutRateIsAnErrorAtTheMissingField() {
    assertError("my.json: $.workload.rate: missing, but required for loop \"open\"; allowed: a"
        + " number from 1 to 10000000 requests per second", "{'workload': {'loop': 'open'}}");
  }

  @Test
  void fieldsThatDoNotApplyToTheLoopModeAreErrors() {
    assertError("my.json: $.workload.rate: applies only when loop is \"open\", not \"closed\""
        + " (the default); allowed: remove rate, or set loop to \"open\"",
        "{'workload': {'rate': 100}}");
    assertError("my.json: $.workload.outstanding: applies only when loop is \"closed\", not"
        + " \"open\"; allowed: remove outstanding, or set loop to \"closed\"",
        "{'workload': {'loop': 'open', 'rate': 100, 'outstanding': 4}}");
  }

  @Test
  void balanceWithReusePortIsAnErrorExplainingItNeedsSingleAcceptor() {
    assertError("my.json: $.listener.balance: applies only when mode is \"single-acceptor\","
        + " not \"reuse-port\" (the default); allowed: remove balance, or set mode to"
        + " \"single-acceptor\"", "{'listener': {'balance': 'random-of-two'}}");
  }

  @Test
  void engineDefaultsToRealAndSimulationSettingsToACorePerLoopFifoAndNoLatency() {
    assertEquals(Scenario.Engine.REAL, parse("{}").engine());
    Scenario s = parse("{'engine': 'simulated', 'simulation': {'scheduler': 'random'}}");
    assertEquals(Scenario.Engine.SIMULATED, s.engine());
    assertEquals(new Scenario.SimulationSettings(0, Scenario.SchedulerPolicy.RANDOM,
        Duration.ZERO), s.simulation());
    assertEquals(new Scenario.SimulationSettings(4, Scenario.SchedulerPolicy.FIFO,
        Duration.ofMillis(1)), parse("{'engine': 'simulated', 'simulation': {'cores': 4,"
            + " 'latency': '1ms'}}").simulation());
  }

  @Test
  void simulationSettingsWithTheRealEngineAreAnErrorAndBadValuesNameTheirRange() {
    assertError("my.json: $.simulation: applies only when engine is \"simulated\", not \"real\""
        + " (the default); allowed: remove simulation, or set engine to \"simulated\"",
        "{'simulation': {'cores': 4}}");
    assertError("my.json: $.engine: \"simulation\" is not an engine; allowed: \"real\","
        + " \"simulated\" (did you mean \"simulated\"?)", "{'engine': 'simulation'}");
    assertError("my.json: $.simulation.scheduler: \"lifo\" is not a scheduler; allowed:"
        + " \"fifo\", \"random\" (did you mean \"fifo\"?)",
        "{'engine': 'simulated', 'simulation': {'scheduler': 'lifo'}}");
    assertError("my.json: $.simulation.cores: -1 is out of range; allowed: an integer from 0"
        + " to 4096 simulated cores (0: one for each simulated thread)",
        "{'engine': 'simulated', 'simulation': {'cores': -1}}");
    assertError("my.json: $.simulation.speed: unknown field; allowed: cores, scheduler, latency",
        "{'engine': 'simulated', 'simulation': {'speed': 2}}");
  }

  @Test
  void aHundredThousandConnectionsNeedTheSimulatedEngine() {
    assertError("my.json: $.workload.connections: 100000 is out of range for engine \"real\";"
        + " allowed: an integer from 1 to 10000 (up to 1000000 with \"engine\": \"simulated\")",
        "{'workload': {'connections': 100000}}");
    assertEquals(100_000, parse("{'engine': 'simulated', 'workload': {'connections': 100000}}")
        .workload().connections());
  }

  @Test
  void serviceOnEchoIsAnError() {
    assertError("my.json: $.workload.mix[1].service: echo requests have no service time;"
        + " allowed: remove service, or set kind to \"cpu\" or \"sleep\"",
        "{'workload': {'mix': [{'kind': 'cpu', 'service': {'mean': '1ms'}},"
            + " {'kind': 'echo', 'service': {'mean': '1ms'}}]}}");
  }

  @Test
  void sleepWithoutServiceIsAnError() {
    assertError("my.json: $.workload.mix[0].service: missing, but required for kind \"sleep\";"
        + " allowed: an object such as {\"distribution\": \"fixed\", \"mean\": \"20ms\"}",
        "{'workload': {'mix': [{'kind': 'sleep'}]}}");
  }

  @Test
  void requestWithoutKindIsAnError() {
    assertError("my.json: $.workload.mix[0].kind: missing; allowed: \"echo\", \"cpu\","
        + " \"sleep\"", "{'workload': {'mix': [{'weight': 3}]}}");
  }

  @Test
  void emptyMixIsAnError() {
    assertError("my.json: $.workload.mix: empty; allowed: one or more requests, such as"
        + " [{\"kind\": \"echo\"}]", "{'workload': {'mix': []}}");
  }

  @Test
  void warmupOfHalfTheDurationOrMoreIsAnError() {
    assertError("my.json: $.warmup: \"5s\" is too long for a duration of 5s; allowed: a"
        + " duration from 0s to 2500ms (half the duration)", "{'warmup': '5s'}");
    assertError("my.json: $.warmup: \"2501ms\" is too long for a duration of 5s; allowed: a"
        + " duration from 0s to 2500ms (half the duration)", "{'warmup': '2501ms'}");
    assertError("my.json: $.warmup: \"2.6s\" is too long for a duration of 5s; allowed: a"
        + " duration from 0s to 2500ms (half the duration)", "{'warmup': '2.6s'}");
    assertEquals(Duration.ofMillis(2500), parse("{'warmup': '2.5s'}").warmup());
  }

  @Test
  void malformedJsonGivesLineAndColumnWithoutTheParsersSourceDump() {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioParser.parse("{\n  \"workers\": 2,\n}\n", "my.json"));
    assertEquals("my.json: 3:1: invalid JSON: Unexpected character ('}' (code 125)): was"
        + " expecting double-quote to start field name", e.getMessage());
    assertEquals("3:1", e.path());
  }

  @Test
  void truncatedJsonSaysWhereTheUnclosedObjectStarted() {
    assertError("my.json: 2:1: invalid JSON: Unexpected end-of-input: expected close marker for"
        + " Object (start marker at 1:1)", "{'workers': 2\n");
  }

  @Test
  void duplicateKeysAndTrailingContentAreInvalidJson() {
    assertError("my.json: 1:25: invalid JSON: Duplicate field 'workers'",
        "{'workers': 2, 'workers': 3}");
    assertError("my.json: 1:4: invalid JSON: more content after the scenario object; allowed:"
        + " one JSON object", "{} {}");
  }

  @Test
  void emptyInputIsAnError() {
    assertError("my.json: $: expected an object, got nothing (the input is empty)", "  \n");
  }

  @Test
  void firstErrorInDocumentOrderWins() {
    assertError("my.json: $.workers: 0 is out of range; allowed: an integer from 1 to 256",
        "{'workers': 0, 'workload': {'loop': 'bad'}, 'seed': 'x'}");
    assertError("my.json: $.workload.loop: \"bad\" is not a loop mode; allowed: \"open\","
        + " \"closed\"", "{'workload': {'loop': 'bad'}, 'workers': 0}");
  }

  @Test
  void missingFileIsAOneLineError() {
    Path missing = dir.resolve("nope.json");
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> ScenarioParser.parse(missing));
    assertEquals(missing + ": no such file", e.getMessage());
    assertEquals("", e.path());
  }
}
