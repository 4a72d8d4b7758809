package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.files.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file-writing command of the engine's CLI, each of its output options aimed at every
 * place it must not write: one of its inputs (by the same path, another spelling, a hard link, a
 * symbolic link), another of its outputs, a directory, a device, a FIFO, a folder that is a file,
 * a missing folder, an immutable folder. Each must be one line with exit 2, before anything is
 * written: no file in the folder changes by a byte, none appears, none goes.
 *
 * <p>Tests run as root, which writes into any folder whatever its mode bits: the read-only
 * folder is made immutable with {@code chattr +i} (which stops root too), and the case is skipped,
 * saying so, where that cannot be done. A folder under a regular file is unwritable for anyone
 * and is always tried.
 */
class OutputsNeverClobberInputsTest {
  @TempDir Path dir;

  /** One command: its arguments with each output option's path filled in. */
  private record Command(String name, Path input, List<String> outputs,
      Function<Map<String, Path>, List<String>> args) {}

  /** A place an output must not go, made in the test folder. */
  private record Target(String what, boolean needsInput, boolean sameAsOtherOutput) {}

  private Path scenario;
  private Path trace;
  private Path immutableFolder;

  private List<Command> commands() {
    return List.of(
        new Command("run", scenario, List.of("--trace", "--json"), o -> List.of("run",
            scenario.toString(), "--trace", o.get("--trace").toString(), "--json",
            o.get("--json").toString())),
        new Command("demo", null, List.of("--trace", "--png"), o -> List.of("demo",
            "--duration", "500ms", "--no-window", "--trace", o.get("--trace").toString(),
            "--png", o.get("--png").toString())),
        new Command("post-demo", null, List.of("--trace"), o -> List.of("post-demo",
            "--requests", "10", "--trace", o.get("--trace").toString())),
        new Command("trace export", trace, List.of("-o"), o -> List.of("trace", "export",
            trace.toString(), "-o", o.get("-o").toString())));
  }

  private static final List<Target> TARGETS = List.of(
      new Target("the input", true, false),
      new Target("the input spelled another way", true, false),
      new Target("a hard link to the input", true, false),
      new Target("a symbolic link to the input", true, false),
      new Target("another output's path", false, true),
      new Target("a directory", false, false),
      new Target("a device", false, false),
      new Target("a FIFO", false, false),
      new Target("a name under a regular file", false, false),
      new Target("a name in a missing folder", false, false),
      new Target("a name in an immutable folder", false, false));

  private Path place(Target t, Path input) throws IOException {
    switch (t.what()) {
      case "the input":
        return input;
      case "the input spelled another way":
        return dir.resolve("sub/..").resolve(input.getFileName());
      case "a hard link to the input":
        return dir.resolve("hard-" + input.getFileName());
      case "a symbolic link to the input":
        return dir.resolve("soft-" + input.getFileName());
      case "another output's path":
        return dir.resolve("same.out");
      case "a directory":
        return dir.resolve("sub");
      case "a device":
        return Path.of("/dev/null");
      case "a FIFO":
        return dir.resolve("pipe");
      case "a name under a regular file":
        return dir.resolve("plain.txt/out");
      case "a name in a missing folder":
        return dir.resolve("missing/out");
      default:
        return immutableFolder.resolve("out");
    }
  }

  @Test
  void noOutputOfAnyCommandCanReplaceAnInputOrAnotherOutputOrASpecialFile() throws Exception {
    scenario = Files.writeString(dir.resolve("s.json"), "{\"name\": \"fuzz\", \"engine\":"
        + " \"simulated\", \"duration\": \"100ms\", \"workload\": {\"connections\": 2}}");
    trace = CraftedTrace.plain(dir.resolve("in.ktrace"));
    Files.createDirectory(dir.resolve("sub"));
    Files.writeString(dir.resolve("plain.txt"), "a regular file");
    SpecialFiles.fifo(dir.resolve("pipe"));
    for (Path input : List.of(scenario, trace)) {
      Files.createLink(dir.resolve("hard-" + input.getFileName()), input);
      Files.createSymbolicLink(dir.resolve("soft-" + input.getFileName()), input.getFileName());
    }
    immutableFolder = Files.createDirectory(dir.resolve("locked"));
    Optional<AutoCloseable> lock = SpecialFiles.immutable(immutableFolder);
    List<String> tried = new ArrayList<>();
    try {
      Map<String, String> before = snapshot();
      for (Command c : commands()) {
        for (String option : c.outputs()) {
          for (Target t : TARGETS) {
            if ((t.needsInput() && c.input() == null)
                || (t.sameAsOtherOutput() && c.outputs().size() < 2)
                || (t.what().contains("immutable") && lock.isEmpty())) {
              continue;
            }
            tried.add(c.name() + " " + option + " = " + t.what());
            refused(c, option, place(t, c.input()), t.sameAsOtherOutput(), before);
          }
        }
      }
    } finally {
      if (lock.isPresent()) {
        lock.get().close();
      }
    }
    assertTrue(tried.contains("trace export -o = the input"), tried.toString());
    assertTrue(tried.contains("run --json = another output's path"), tried.toString());
    assertTrue(tried.size() >= 40, tried.size() + " cases: " + tried);
    if (lock.isEmpty()) {
      System.err.println("OutputsNeverClobberInputsTest: chattr +i is not possible here;"
          + " the immutable-folder case was skipped (the folder-under-a-file case still ran)");
    }
  }

  private void refused(Command c, String option, Path target, boolean alsoOthers,
      Map<String, String> before) throws IOException {
    Map<String, Path> outputs = new TreeMap<>();
    for (String o : c.outputs()) {
      // The other outputs go to fresh names: only the one under test is wrong, unless the case
      // is two outputs on one path.
      outputs.put(o, o.equals(option) || alsoOthers ? target
          : dir.resolve("fresh-" + o.replace("-", "") + ".out"));
    }
    List<String> args = c.args().apply(outputs);
    String what = String.join(" ", args);
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> CliRun.run(args.toArray(new String[0])), what);
    assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit, what + "\n" + r.out + r.err);
    assertEquals(1, r.err.strip().lines().count(), what + "\n" + r.err);
    assertTrue(r.err.startsWith("kallisto " + c.name() + ": "), what + "\n" + r.err);
    assertTrue(r.err.contains(target.toString()), what + "\n" + r.err);
    assertFalse(r.err.contains("internal error"), what + "\n" + r.err);
    assertEquals(before, snapshot(), what + " changed the folder");
    assertTrue(Files.exists(Path.of("/dev/null"))
        && !Files.isRegularFile(Path.of("/dev/null"), LinkOption.NOFOLLOW_LINKS), what);
  }

  /** Every entry under the folder: its kind, and for a regular file its SHA-256. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String key = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(key, "link to " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(key, "directory");
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(key, sha256(p));
        } else {
          out.put(key, "special");
        }
      }
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The trace {@code "tracing": true} writes, {@code NAME.ktrace} in the working directory, is an
   * output like any other: here it would be the scenario file itself. A real {@code kallisto}
   * process, since only a process of its own can have the folder as its working directory.
   */
  @Test
  void theTraceAScenarioAsksForIsNeverTheScenarioFileItself() throws Exception {
    String json = "{\"name\": \"clash\", \"tracing\": true, \"engine\": \"simulated\","
        + " \"duration\": \"100ms\"}";
    Path scenarioFile = Files.writeString(dir.resolve("clash.ktrace"), json);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        KallistoCli.class.getName(), "run", "clash.ktrace").directory(dir.toFile())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output;
    try (java.io.InputStream in = p.getInputStream()) {
      output = assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), output);
    } finally {
      p.destroyForcibly();
    }
    assertEquals(KallistoCli.EXIT_USER_ERROR, p.exitValue(), output);
    assertEquals("kallisto run: --trace (from \"tracing\": true) clash.ktrace: is the input"
        + " SCENARIO clash.ktrace; an output never replaces an input, give another name",
        output.strip());
    assertEquals(json, Files.readString(scenarioFile));
  }

  @Test
  void withOutputsOfTheirOwnTheSameCommandsWriteThemWholeAndLeaveTheInputs() throws Exception {
    scenario = Files.writeString(dir.resolve("s.json"), "{\"name\": \"fuzz\", \"engine\":"
        + " \"simulated\", \"duration\": \"100ms\", \"workload\": {\"connections\": 2}}");
    trace = CraftedTrace.plain(dir.resolve("in.ktrace"));
    String scenarioHash = sha256(scenario);
    String traceHash = sha256(trace);
    Path out = Files.createDirectory(dir.resolve("out"));
    Files.writeString(out.resolve("run.json"), "a previous summary");
    CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run("run",
        scenario.toString(), "--trace", out.resolve("run.ktrace").toString(), "--json",
        out.resolve("run.json").toString()));
    assertEquals(0, run.exit, run.err);
    assertTrue(Files.readString(out.resolve("run.json")).startsWith("{"));
    CliRun export = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run("trace",
        "export", trace.toString(), "-o", out.resolve("in.json").toString()));
    assertEquals(0, export.exit, export.err);
    assertEquals(scenarioHash, sha256(scenario));
    assertEquals(traceHash, sha256(trace));
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of("in.json", "run.json", "run.ktrace"),
          s.map(p -> p.getFileName().toString()).sorted().toList(), "and no .partial left");
    }
  }
}
