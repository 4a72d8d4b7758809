package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace is written beside its target and renamed over it when tracing stops: the file the path
 * named before stays whole until then, and after a {@code kill -9}.
 */
class TraceReplacementTest {
  @TempDir Path dir;

  private List<Path> partials() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
    }
  }

  @Test
  void thePreviousFileStaysWholeWhileRecordingAndIsReplacedWhenTracingStops()
      throws IOException {
    Path target = Files.writeString(dir.resolve("run.ktrace"), "the previous run");
    TraceSession session = Tracing.start(target, TraceOptions.defaults().scenario("replace"));
    try {
      Tracing.mark("recording");
      assertEquals("the previous run", Files.readString(target));
      assertEquals(1, partials().size(), "the trace being written, beside its target");
      assertEquals(target, session.path());
    } finally {
      TraceSummary written = Tracing.stop();
      assertEquals(target, written.path());
    }
    assertEquals(List.of(), partials());
    try (TraceFile trace = TraceFile.open(target)) {
      assertNull(trace.damage());
      assertEquals("replace", trace.header().get("scenario"));
    }
  }

  @Test
  void aTraceIntoADirectoryOrAFifoIsRefusedAndLeavesItAsItWas() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("folder"));
    Path fifo = io.kallisto.files.SpecialFiles.fifo(dir.resolve("pipe"));
    for (Path target : List.of(folder, fifo)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> Tracing.start(target));
      assertTrue(e.getMessage().startsWith("cannot write trace file " + target + ": is a "),
          e.getMessage());
      assertTrue(Files.exists(target) && !Files.isRegularFile(target));
    }
    assertEquals(List.of(), partials());
  }

  @Test
  void aProcessKilledWhileTracingLeavesThePreviousFileAndTheRecordingAsAPartialTrace()
      throws Exception {
    Path target = Files.writeString(dir.resolve("run.ktrace"), "the previous run");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KilledMidTrace.class.getName(), target.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("recorded", out.readLine());
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no stop()
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      });
    } finally {
      child.destroyForcibly();
      // Our ends of its pipes, closed now rather than by the garbage collector in a later test.
      child.getOutputStream().close();
      child.getInputStream().close();
    }
    assertEquals("the previous run", Files.readString(target));
    List<Path> partials = partials();
    assertEquals(1, partials.size(), partials.toString());
    assertTrue(partials.get(0).getFileName().toString().startsWith("run.ktrace."));
    try (TraceFile partial = TraceFile.open(partials.get(0))) {
      assertEquals("killed", partial.header().get("scenario"));
      assertEquals(2L * TraceBuffer.RECORDS, partial.eventCount(), "the two full buffers");
    }
  }
}
