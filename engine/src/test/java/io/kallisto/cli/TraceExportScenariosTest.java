package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.export.ChromeJsonCheck;
import io.kallisto.trace.export.PerfettoTraceCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kallisto trace export} in both formats on three real traces: a traced baseline-echo, a
 * head-of-line-blocking run, and a simulated config-push; each export read back and checked as
 * issue 18 asks (see {@link ChromeJsonCheck}, {@link PerfettoTraceCheck}).
 */
class TraceExportScenariosTest {
  @TempDir static Path dir;

  @BeforeAll
  static void record() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      run("baseline-echo", "--duration", "300ms");
      run("head-of-line-blocking", "--duration", "300ms");
      run("config-push", "--engine", "simulated", "--duration", "200ms");
    });
  }

  private static void run(String scenario, String... options) {
    String[] args = new String[options.length + 4];
    args[0] = "run";
    args[1] = scenario;
    System.arraycopy(options, 0, args, 2, options.length);
    args[args.length - 2] = "--trace";
    args[args.length - 1] = dir.resolve(scenario + ".ktrace").toString();
    CliRun r = CliRun.run(args);
    assertEquals(0, r.exit, r.err);
  }

  private static Path export(String scenario, String format, String... window) {
    Path out = dir.resolve(scenario + "." + format + (window.length > 0 ? ".window" : ""));
    String[] args = new String[7 + window.length];
    String[] head = {"trace", "export", dir.resolve(scenario + ".ktrace").toString(), "--format",
        format, "-o", out.toString()};
    System.arraycopy(head, 0, args, 0, head.length);
    System.arraycopy(window, 0, args, head.length, window.length);
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run(args));
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.startsWith("wrote " + out + ": "), r.out);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"baseline-echo", "head-of-line-blocking", "config-push"})
  void chromeJsonNestsInDoublesBindsEveryFlowAndHasRequestSlicesAndEveryCounter(String scenario)
      throws Exception {
    ChromeJsonCheck json = new ChromeJsonCheck(export(scenario, "chrome"));
    try (TraceFile trace = TraceFile.open(dir.resolve(scenario + ".ktrace"))) {
      assertNull(trace.damage());
      json.slicesNestInDoubles();
      assertTrue(json.touchingPairs > 0, "the check met touching slices");
      long arrows = json.everyFlowIsBoundAtBothEnds();
      assertTrue(arrows > 0, "flows drawn: " + arrows);
      json.requestsAreSlices(trace);
      json.everyCounterIsPresent(trace);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"baseline-echo", "head-of-line-blocking", "config-push"})
  void perfettoTracePairsSlicesEndsFlowsNamesThreadsAndCountsAsTraceInfo(String scenario)
      throws Exception {
    PerfettoTraceCheck pf = new PerfettoTraceCheck(export(scenario, "perfetto"));
    try (TraceFile trace = TraceFile.open(dir.resolve(scenario + ".ktrace"))) {
      assertTrue(pf.compressedBundles > 0, "the command compresses");
      pf.everyEventIsOnADescribedTrackAndClock();
      assertTrue(pf.sliceBeginsAreAtTheirRecordsStarts(trace) > 0);
      assertTrue(pf.everyBeginHasItsEndOnItsTrack() > 0);
      assertTrue(pf.everyFlowHasBothEnds() > 0);
      assertEquals(new TreeMap<>(trace.threads()), new TreeMap<>(pf.threadNames()));
    }
    assertEquals(traceInfoCounts(scenario), pf.countsByType());
  }

  @Test
  void aWindowExportsOnlyWhatOverlapsItInBothFormats() throws Exception {
    Path json = export("baseline-echo", "chrome", "--from", "100ms", "--to", "150ms");
    ChromeJsonCheck check = new ChromeJsonCheck(json);
    check.slicesNestInDoubles();
    check.everyFlowIsBoundAtBothEnds();
    long first;
    try (TraceFile trace = TraceFile.open(dir.resolve("baseline-echo.ktrace"))) {
      first = trace.firstTime();
    }
    for (var e : check.phase("X")) {
      double ts = e.get("ts").asDouble();
      assertTrue(ts <= 150_000 && ts + e.get("dur").asDouble() >= 100_000, e.toString());
    }
    PerfettoTraceCheck pf = new PerfettoTraceCheck(export("baseline-echo", "perfetto", "--from",
        "100ms", "--to", "150ms"));
    pf.everyBeginHasItsEndOnItsTrack();
    pf.everyFlowHasBothEnds();
    for (PerfettoTraceCheck.Event e : pf.events) {
      if (e.type == 1) { // a slice begin
        assertTrue(e.time <= first + 150_000_000, "begins before the window's end: " + e.time);
      }
    }
  }

  @Test
  void anEmptyOrUnreadableWindowIsOneLineWithExitCodeTwo() {
    String trace = dir.resolve("head-of-line-blocking.ktrace").toString();
    CliRun r = CliRun.run("trace", "export", trace, "--from", "2s", "--to", "1s");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.contains("--to must be after --from"), r.err);
    CliRun bad = CliRun.run("trace", "export", trace, "--from", "soon");
    assertEquals(KallistoCli.EXIT_USER_ERROR, bad.exit);
    assertTrue(bad.err.contains("--from") && bad.err.contains("soon"), bad.err);
  }

  /** The "event type / count" table that {@code kallisto trace info} prints. */
  private static Map<EventType, Long> traceInfoCounts(String scenario) {
    CliRun r = CliRun.run("trace", "info", dir.resolve(scenario + ".ktrace").toString());
    assertEquals(0, r.exit, r.err);
    Map<String, EventType> byLabel = new TreeMap<>();
    for (EventType t : EventType.values()) {
      byLabel.put(t.label(), t);
    }
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    Matcher m = Pattern.compile("(?m)^([a-z-]+)\\s+([\\d,]+)$").matcher(r.out);
    while (m.find()) {
      EventType t = byLabel.get(m.group(1));
      if (t != null) {
        counts.put(t, Long.parseLong(m.group(2).replace(",", "")));
      }
    }
    assertTrue(counts.containsKey(EventType.CALLBACK), r.out);
    return counts;
  }
}
