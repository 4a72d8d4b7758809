package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed fixtures: every header fact and record of each version read exactly, and the
 * writer still producing the current version's bytes. A format change bumps
 * {@link TraceFileDescriptor#VERSION} and adds a fixture; these tests keep passing on the old
 * ones (see {@link GoldenTrace}).
 */
class TraceGoldenFixtureTest {
  @TempDir Path dir;

  private Path fixture() throws Exception {
    return fixture(GoldenTrace.RESOURCE);
  }

  private Path fixture(String resource) throws Exception {
    Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      assertNotNull(in, resource + " on the test class path");
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  @Test
  void shouldReadEveryHeaderFactThreadStringAndRecordOfTheV1Fixture() throws Exception {
    try (TraceFile trace = TraceFile.open(fixture(GoldenTrace.V1_RESOURCE))) {
      assertEquals(1, trace.version());
      assertFalse(trace.headerChecked(), "version 1 has no header checksum");
      assertNull(trace.end(), "version 1 has no end block");
      checkGoldenContent(trace, "golden v1");
    }
  }

  @Test
  void shouldReadEveryHeaderFactRecordAndTheInterruptedEndOfTheV2Fixture() throws Exception {
    try (TraceFile trace = TraceFile.open(fixture())) {
      assertEquals(2, trace.version());
      assertTrue(trace.headerChecked());
      assertEquals(GoldenTrace.END, trace.end());
      assertEquals("interrupted by SIGTERM after 4.4 s of 30 s", trace.end().describe());
      checkGoldenContent(trace, "golden v2");
    }
  }

  /** Everything but the version's own parts: the same facts, threads, strings and records. */
  private static void checkGoldenContent(TraceFile trace, String scenario) {
    assertNull(trace.damage());
    assertTrue(trace.virtualClock());
    assertEquals(List.of(
        Map.entry("kallisto.version", "golden"),
        Map.entry("clock", "virtual"),
        Map.entry("scenario", scenario),
        Map.entry("seed", "7"),
        Map.entry("note", "f\u00fcr \u6f22\u5b57")), new ArrayList<>(trace.header().entrySet()));
    assertEquals(Map.of(0, GoldenTrace.MAIN_THREAD, 1, GoldenTrace.WORKER_THREAD),
        trace.threads());
    assertEquals("config pushed", trace.string(1));
    assertEquals("phase", trace.string(2));
    assertEquals("queue depth", trace.string(3));
    assertEquals("Golden lambda", trace.string(4));
    assertEquals("Golden.Timer", trace.string(5));
    assertEquals("slot 2 update", trace.string(6));
    assertEquals("?7", trace.string(7));

    List<RawTrace.Rec> expected = GoldenTrace.records(0, 1, 1, 2, 3, 4, 5, 6);
    assertEquals(expected, RawTrace.eventsOf(trace));
    assertEquals(expected.size(), trace.eventCount());
    assertEquals(1_000, trace.firstTime());
    assertEquals(10_000, trace.lastTime(), "the span from 9300 lasts 700");

    List<String> labels = new ArrayList<>();
    trace.forEach(e -> labels.add(e.type().label() + ":" + e.label()));
    assertEquals(List.of("poll:", "work:", "slot-set:", "post:", "timer-arm:", "timerfd-arm:",
        "connection-open:", "request-begin:", "mark:config pushed", "slot-complete:",
        "request-end:", "connection-close:", "timer-disable:", "callback:Golden lambda",
        "callback:slot 2 update", "callback:Golden.Timer", "callback:Golden lambda",
        "counter:queue depth", "span:phase"), labels);
  }

  @Test
  void shouldLayOutTheV1FixtureAsThreadsStringsThenOneEventsBlockPerThread() throws Exception {
    assertEquals(List.of("3/0/2", "2/0/6", "1/0/13", "1/1/6"),
        blocks(fixture(GoldenTrace.V1_RESOURCE)));
  }

  @Test
  void shouldLayOutTheV2FixtureAsV1DidThenOneEndBlock() throws Exception {
    assertEquals(List.of("3/0/2", "2/0/6", "1/0/13", "1/1/6", "4/0/1"), blocks(fixture()));
  }

  private static List<String> blocks(Path file) throws Exception {
    RawTrace raw = RawTrace.parse(Files.readAllBytes(file));
    List<String> blocks = new ArrayList<>();
    for (RawTrace.Block b : raw.blocks) {
      blocks.add(b.type() + "/" + b.thread() + "/" + b.count());
    }
    return blocks;
  }

  @Test
  void shouldRegenerateTheV2FixtureByteForByte() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      Path again = dir.resolve("again.ktrace");
      GoldenTrace.write(again);
      assertArrayEquals(Files.readAllBytes(fixture()), Files.readAllBytes(again),
          "the writer no longer produces the v2 fixture's bytes: a format change must bump"
              + " TraceFileDescriptor.VERSION and add a new fixture, not replace this one");
    });
  }
}
