package io.kallisto.trace.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.trace.TraceFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed golden exports of the v1 trace fixture: still produced byte for byte, and still
 * passing the checks the real-run exports pass (see {@link GoldenExports} to regenerate).
 */
class GoldenExportsTest {
  @TempDir Path dir;

  private Path committed(String resource) throws Exception {
    Path file = dir.resolve("committed-" + Path.of(resource).getFileName());
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      assertNotNull(in, resource + " on the test class path");
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  @Test
  void shouldRegenerateBothGoldenExportsByteForByte() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      Path json = dir.resolve("again.json");
      Path perfetto = dir.resolve("again.pftrace");
      GoldenExports.write(dir, json, perfetto);
      String why = ": the exporter no longer writes the committed golden export; if the change"
          + " is deliberate, regenerate with GoldenExports.main and review the diff";
      assertArrayEquals(Files.readAllBytes(committed(GoldenExports.JSON)),
          Files.readAllBytes(json), GoldenExports.JSON + why);
      assertArrayEquals(Files.readAllBytes(committed(GoldenExports.PERFETTO)),
          Files.readAllBytes(perfetto), GoldenExports.PERFETTO + why);
    });
  }

  @Test
  void theGoldenJsonNestsBindsItsFlowsAndDrawsTheRequestAndCounters() throws Exception {
    ChromeJsonCheck json = new ChromeJsonCheck(committed(GoldenExports.JSON));
    try (TraceFile trace = TraceFile.open(GoldenExports.fixture(dir))) {
      json.slicesNestInDoubles();
      // The fixture's post reaches its callback and its slot set reaches the update and the
      // completion on main.
      assertEquals(3, json.everyFlowIsBoundAtBothEnds());
      json.requestsAreSlices(trace);
      json.everyCounterIsPresent(trace);
    }
    assertEquals("v1-small.ktrace", json.root.get("metadata").get("trace.file").asText());
  }

  @Test
  void aCompressedExportDecodesToTheGoldenPerfettoTrace() throws Exception {
    PerfettoTraceCheck golden = new PerfettoTraceCheck(committed(GoldenExports.PERFETTO));
    assertEquals(0, golden.compressedBundles, "the golden export is not compressed");
    Path compressed = dir.resolve("compressed.pftrace");
    try (TraceFile trace = TraceFile.open(GoldenExports.fixture(dir))) {
      new PerfettoTraceExporter(trace).export(compressed, null);
    }
    PerfettoTraceCheck pf = new PerfettoTraceCheck(compressed);
    assertEquals(1, pf.compressedBundles, "a small export is one bundle");
    assertTrue(Files.size(compressed) < Files.size(committed(GoldenExports.PERFETTO)));
    assertEquals(golden.asText(), pf.asText());
  }

  @Test
  void theGoldenPerfettoTraceDecodesWithPairedSlicesFlowsNamesAndThreads() throws Exception {
    PerfettoTraceCheck pf = new PerfettoTraceCheck(committed(GoldenExports.PERFETTO));
    try (TraceFile trace = TraceFile.open(GoldenExports.fixture(dir))) {
      pf.everyEventIsOnADescribedTrackAndClock();
      assertTrue(pf.sliceBeginsAreAtTheirRecordsStarts(trace) > 0);
      assertTrue(pf.everyBeginHasItsEndOnItsTrack() > 0);
      assertEquals(2, pf.everyFlowHasBothEnds(), "one post flow, one slot flow");
      assertEquals(new TreeMap<>(trace.threads()), new TreeMap<>(pf.threadNames()));
      assertEquals(trace.countByType(), pf.countsByType());
      PerfettoTraceCheck.Event facts = pf.events.get(0);
      assertEquals("kallisto trace", facts.name);
      assertEquals("golden v1", facts.annotations.get("scenario"));
      assertEquals("7", facts.annotations.get("seed"));
    }
  }
}
