package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kallisto trace info} says about a trace's header check and its end: version 2
 * checks its header, and a flipped bit there is one line and exit 2 instead of silent wrong
 * facts; version 1 still opens, saying it has no header check; an interrupted recording says
 * so, where and how far it got.
 */
class TraceHeaderCheckTest {
  @TempDir Path dir;

  @Test
  void aVersion2TraceSaysItsHeaderIsCheckedAndHowItsRecordingEnded() throws Exception {
    CliRun r = CliRun.run("trace", "info", fixture("v2-small.ktrace").toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("format version 2; header checked (CRC32))"), r.out);
    // The fixture's END: cut by SIGTERM at 9,500 ns, 4.4 s into a 30 s run; first event 1,000.
    assertTrue(r.out.contains("recording   interrupted by SIGTERM after 4.4 s of 30 s; cut 0.000 s"
        + " after the first event (at 9500 ns)"), r.out);
  }

  @Test
  void aVersion1TraceStillOpensAndSaysItHasNoHeaderCheck() throws Exception {
    CliRun r = CliRun.run("trace", "info", fixture("v1-small.ktrace").toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("format version 1; no header check: version 1 files carry no"
        + " header checksum)"), r.out);
    assertTrue(r.out.contains("recording   not recorded (version 1 files do not say how they"
        + " ended)"), r.out);
    assertTrue(r.out.contains("header      scenario = golden v1"), "the facts are shown: " + r.out);
  }

  @Test
  void aFlippedBitInAVersion2HeaderFactIsOneLineNamingTheFileAndExit2() throws Exception {
    Path file = fixture("v2-small.ktrace");
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, "golden v2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bytes[at + 7] ^= 0x04; // "golden v2" -> "golden r2": a plausible, wrong fact
    Files.write(file, bytes);
    Path out = dir.resolve("out.json");
    for (String command : new String[] {"info", "stats", "export"}) {
      CliRun r = command.equals("export")
          ? CliRun.run("trace", command, file.toString(), "-o", out.toString())
          : CliRun.run("trace", command, file.toString());
      assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit, command + ": " + r.out + r.err);
      String line = r.err.strip();
      assertFalse(line.contains("\n"), line);
      assertTrue(line.startsWith("kallisto trace " + command + ": " + file
          + ": header checksum mismatch: the header is corrupt"), line);
      assertFalse(r.out.contains("golden r2"), "no wrong fact shown: " + r.out);
    }
    assertFalse(Files.exists(out), "nothing exported from a corrupt header");
  }

  private Path fixture(String name) throws Exception {
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/traces/" + name)) {
      assertNotNull(in, name);
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
