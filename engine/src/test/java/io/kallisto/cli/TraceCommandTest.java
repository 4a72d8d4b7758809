package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.trace.RecordedRun;
import io.kallisto.trace.TraceFileDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kallisto trace info|export|stats} on a real trace, a foreign file and a cut one. */
class TraceCommandTest {
  @TempDir static Path dir;
  private static Path trace;
  private static Path foreign;
  private static Path truncated;

  @BeforeAll
  static void recordAndDamage() throws IOException {
    assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> RecordedRun.record(dir.resolve("run.ktrace")));
    trace = dir.resolve("run.ktrace");
    foreign = Files.writeString(dir.resolve("notes.txt"), "just some notes, not a trace\n",
        StandardCharsets.UTF_8);
    byte[] bytes = Files.readAllBytes(trace);
    truncated = Files.write(dir.resolve("cut.ktrace"), Arrays.copyOf(bytes, bytes.length - 100));
  }

  @Test
  void infoShowsHeaderThreadsTypesAndLoopStatistics() {
    CliRun r = CliRun.run("trace", "info", trace.toString());
    assertEquals(0, r.exit, r.err);
    assertEquals("", r.err);
    assertTrue(r.out.contains("clock       monotonic"), r.out);
    assertTrue(r.out.contains("header      scenario = recorded-run"), r.out);
    assertTrue(r.out.matches("(?s).*\\nworker-\\d\\s+\\d+\\s+[\\d,]+\\s+[\\d,]+\\s+\\d+\\.\\d\\s.*"),
        "worker-0 with events, iterations and busy %: " + r.out);
    assertTrue(r.out.contains("busy %"), r.out);
    assertTrue(r.out.matches("(?s).*\\ncallback\\s+[\\d,]+\\n.*"), r.out);
    assertTrue(r.out.matches("(?s).*\\nslot-set\\s+2\\n.*"), r.out);
  }

  @Test
  void statsPrintsQueueingDelayTimerLatenessAndCallbackRunTimes() {
    CliRun r = CliRun.run("trace", "stats", trace.toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("queueing delay: post() to callback start (us)"), r.out);
    assertTrue(r.out.matches("(?s).*\\nworker-0\\s+[\\d,]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+"
        + "[\\d.]+\\n.*"), r.out);
    assertTrue(r.out.contains("timer lateness: deadline to callback start (us)"), r.out);
    assertTrue(r.out.matches("(?s).*timer lateness.*\\nworker-0\\s+1\\s.*"), "one timer: " + r.out);
    assertTrue(r.out.matches("(?s).*\\nworker-1\\s+slot update\\s+2\\s.*"), r.out);
    assertTrue(r.out.matches("(?s).*\\n[\\d,]+ posts joined to their callbacks.*"), r.out);
  }

  @Test
  void exportWritesChromeJsonThatJacksonReads() throws IOException {
    Path out = dir.resolve("cli.json");
    CliRun r = CliRun.run("trace", "export", trace.toString(), "--format", "chrome", "-o",
        out.toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.startsWith("wrote " + out + ": "), r.out);
    JsonNode root = new ObjectMapper().readTree(out.toFile());
    assertTrue(root.get("traceEvents").size() > RecordedRun.POSTS, root.toString());
  }

  @Test
  void exportWithAnUnknownFormatNamesTheAllowedOnes() {
    CliRun r = CliRun.run("trace", "export", trace.toString(), "--format", "svg");
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertEquals("kallisto trace export: --format=svg is not supported; use one of: chrome", r.err.strip());
  }

  @Test
  void aForeignFileIsOneLineNamingItAndOffsetZero() {
    for (String command : new String[] {"info", "stats", "export"}) {
      CliRun r = CliRun.run("trace", command, foreign.toString());
      assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit, command + ": " + r.err);
      String line = r.err.strip();
      assertFalse(line.contains("\n"), "one line: " + line);
      assertTrue(line.startsWith("kallisto trace " + command + ": " + foreign
          + ": not a Kallisto trace"), line);
      assertTrue(line.contains("(at byte offset 0)"), line);
    }
  }

  @Test
  void aMissingFileIsOneLine() {
    Path missing = dir.resolve("nope.ktrace");
    CliRun r = CliRun.run("trace", "info", missing.toString());
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit);
    assertEquals("kallisto trace info: " + missing + ": no such file", r.err.strip());
  }

  @Test
  void aTruncatedTraceIsReadAsFarAsItGoesWithOneWarning() {
    for (String command : new String[] {"info", "stats", "export"}) {
      CliRun r = command.equals("export")
          ? CliRun.run("trace", command, truncated.toString(), "-o",
              dir.resolve("cut.json").toString())
          : CliRun.run("trace", command, truncated.toString());
      assertEquals(0, r.exit, command + ": " + r.err);
      String[] lines = r.err.strip().split("\n");
      assertEquals(1, lines.length, r.err);
      assertTrue(lines[0].startsWith("warning: " + truncated + ": damaged at byte offset "),
          lines[0]);
      assertFalse(r.out.isBlank(), "still prints what it read");
    }
  }

  @Test
  void aDamagedBlockInTheMiddleIsSkippedWithAWarningAndTheRestIsRead() throws IOException {
    byte[] bytes = Files.readAllBytes(trace);
    List<Integer> blocks = new ArrayList<>();
    for (int i = 0; i + 4 <= bytes.length; i++) {
      if (bytes[i] == 'K' && bytes[i + 1] == 'B' && bytes[i + 2] == 'L' && bytes[i + 3] == 'K') {
        blocks.add(i);
      }
    }
    assertTrue(blocks.size() >= 3, "blocks: " + blocks);
    int middle = blocks.get(blocks.size() / 2);
    bytes[middle + TraceFileDescriptor.BLOCK_HEADER_SIZE] ^= 0x01; // its first payload byte
    Path damaged = Files.write(dir.resolve("middle.ktrace"), bytes);
    CliRun r = CliRun.run("trace", "info", damaged.toString());
    assertEquals(0, r.exit, r.err);
    assertEquals("warning: " + damaged + ": damaged at byte offset " + middle + ": block"
        + " checksum mismatch: the block is corrupt; " + (blocks.get(blocks.size() / 2 + 1)
        - middle) + " bytes skipped to the next readable block", r.err.strip().replaceAll(
        " \\(events of thread .*\\)$", ""));
    assertTrue(r.out.contains("recording   complete"), "the END block after it: " + r.out);
  }

  @Test
  void traceAloneShowsItsSubcommands() {
    CliRun r = CliRun.run("trace");
    assertEquals(0, r.exit);
    assertTrue(r.out.contains("info") && r.out.contains("export") && r.out.contains("stats"),
        r.out);
  }
}
