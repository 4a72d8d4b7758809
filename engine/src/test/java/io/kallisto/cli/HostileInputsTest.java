package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kallisto.files.SpecialFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a hostile tester tried against the CLI and the trace reader (issue 16, items 4 to 6 and
 * 13, 14, 16): each is a one-line refusal with exit 2, or output that stays what it claims.
 */
class HostileInputsTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.run(args));
  }

  private static void assertOneLineUserError(CliRun r, String expected) {
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit, r.err);
    assertEquals(expected, r.err.strip());
  }

  @Test
  void aScenarioNameThatIsAPathIsRefusedAtItsJsonPathAndNothingIsWritten() throws IOException {
    Path victim = dir.resolve("victim");
    String[] names = {"../victim", victim.toString(), "sub/victim", "..", ".hidden", "a..b",
        "x".repeat(65)};
    for (String name : names) {
      Path file = Files.writeString(dir.resolve("s.json"), "{\"name\": \"" + name + "\","
          + " \"tracing\": true, \"engine\": \"simulated\", \"duration\": \"100ms\"}");
      CliRun r = run("run", file.toString());
      String quoted = name.length() > 40 ? name.substring(0, 40) + "..." : name;
      assertOneLineUserError(r, "kallisto run: " + file + ": $.name: \"" + quoted + "\" is not"
          + " a name; allowed: a letter or digit, then up to 63 letters, digits, '.', '-' or"
          + " '_', without '..' (it names the file NAME.ktrace)");
    }
    assertFalse(Files.exists(Path.of("../victim.ktrace")), "written next to the working dir");
    assertFalse(Files.exists(dir.resolve("victim.ktrace")));
  }

  @Test
  void aDeviceAsTheScenarioIsRefusedBeforeAnyRead() {
    for (String device : new String[] {"/dev/zero", "/dev/urandom"}) {
      assertOneLineUserError(run("run", device), "kallisto run: " + device + ": is a character"
          + " device, not a regular file; allowed: a scenario file");
    }
  }

  @Test
  void aFifoWithNoWriterIsRefusedByRunAndByEveryTraceCommandWithoutBlocking() throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("pipe"));
    assertOneLineUserError(run("run", fifo.toString()), "kallisto run: " + fifo + ": is a FIFO"
        + " (named pipe), not a regular file; allowed: a scenario file");
    for (String sub : new String[] {"info", "stats", "export"}) {
      assertOneLineUserError(run("trace", sub, fifo.toString()), "kallisto trace " + sub + ": " + fifo + ": is a FIFO (named pipe), not a regular file;"
              + " give a .ktrace file");
    }
    assertOneLineUserError(run("trace", "info", dir.toString()),
        "kallisto trace info: " + dir + ": is a directory; give a .ktrace file");
  }

  @Test
  void exportWritesValidJsonForTimesAtTheEndsOfTheLongRange() throws IOException {
    Path trace = CraftedTrace.write(dir.resolve("edge.ktrace"), "t", "edge", Long.MIN_VALUE, 0,
        Long.MAX_VALUE);
    Path json = dir.resolve("edge.json");
    CliRun r = run("trace", "export", trace.toString(), "-o", json.toString());
    assertEquals(0, r.exit, r.err);
    // Throws if it is not JSON; exact decimals, not doubles, to see every nanosecond.
    JsonNode root = new ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json.toFile());
    List<String> times = new ArrayList<>();
    for (JsonNode e : root.get("traceEvents")) {
      if ("i".equals(e.path("ph").asText())) {
        times.add(e.get("ts").decimalValue().toPlainString());
      }
    }
    // From the first event at Long.MIN_VALUE: 2^63 ns, then 2^64 - 1 ns, exactly.
    assertEquals(List.of("0", "9223372036854775.808", "18446744073709551.615"), times);
  }

  @Test
  void traceStringsReachTheTerminalEscapedAndTheJsonExactly() throws Exception {
    Path trace = CraftedTrace.write(dir.resolve("evil.ktrace"), CraftedTrace.HOSTILE,
        "fact\u001b[31m\r", 0, 1000);
    Path loop = CraftedTrace.loopOn(dir.resolve("evil-loop.ktrace"), CraftedTrace.HOSTILE);
    for (String[] args : new String[][] {{"info", trace.toString()}, {"info", loop.toString()},
        {"stats", loop.toString()}}) {
      String sub = String.join(" ", args);
      CliRun r = run("trace", args[0], args[1]);
      assertEquals(0, r.exit, r.err);
      for (char c : new char[] {'\u001b', '\r', '\u0000', '\u0007', '\u202e'}) {
        assertEquals(-1, r.out.indexOf(c), sub + " printed U+" + Integer.toHexString(c)
            + ": " + r.out);
      }
      assertTrue(r.out.contains("w\\x1b[2J\\x1b]0;pwned\\x07\\r\\x00\\u202eevil"), r.out);
    }
    assertTrue(run("trace", "info", trace.toString()).out
        .contains("header      note = fact\\x1b[31m\\r"));
    Path json = dir.resolve("evil.json");
    assertEquals(0, run("trace", "export", trace.toString(), "-o", json.toString()).exit);
    String text = Files.readString(json, StandardCharsets.UTF_8);
    assertEquals(-1, text.indexOf('\u001b'), "a raw ESC in the JSON");
    JsonNode root = new ObjectMapper().readTree(text);
    boolean named = false;
    for (JsonNode e : root.get("traceEvents")) {
      named |= "thread_name".equals(e.path("name").asText())
          && CraftedTrace.HOSTILE.equals(e.path("args").path("name").asText());
    }
    assertTrue(named, "the thread's name, exactly, in the JSON");
    assertEquals("fact\u001b[31m\r", root.path("metadata").path("note").asText());
  }

  @Test
  void everyHelpFormatsWithoutAPicocliWarning() {
    List<String> commands = new ArrayList<>();
    collect(KallistoCli.commandLine(), List.of(), commands);
    assertTrue(commands.contains("trace info"), commands.toString());
    for (String command : commands) {
      List<String> args = new ArrayList<>(List.of(command.split(" ")));
      args.add("--help");
      CliRun r = run(args.toArray(new String[0]));
      assertEquals(0, r.exit, command + ": " + r.err);
      assertEquals("", r.err, command + " --help");
    }
  }

  private static void collect(CommandLine cli, List<String> path, List<String> out) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      String name = sub.getCommandName();
      if (name.equals("help") || path.contains(name) || out.contains(join(path, name))) {
        continue;
      }
      out.add(join(path, name));
      List<String> deeper = new ArrayList<>(path);
      deeper.add(name);
      collect(sub, deeper, out);
    }
  }

  private static String join(List<String> path, String name) {
    return path.isEmpty() ? name : String.join(" ", path) + " " + name;
  }
}
