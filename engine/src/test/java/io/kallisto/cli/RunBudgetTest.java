package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kallisto run} checks the resource budget before anything runs: a melt-down is refused
 * with one line naming the file and the fields to lower (exit 2); {@code --force} runs it capped
 * and says what was lowered; {@code --budget} takes a share or {@code off}.
 */
class RunBudgetTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void theTwoMeltdownsAreRefusedWithOneLineBeforeAnythingRuns() throws Exception {
    Path payload = write("payload.json", "{\"workers\": 2, \"engine\": \"simulated\","
        + " \"workload\": {\"connections\": 10000, \"outstanding\": 1024, \"payloadBytes\":"
        + " 1048576}}");
    Path timers = write("timers.json", "{\"workers\": 256, \"timers\": {\"perWorker\": 100000,"
        + " \"interval\": \"1ms\"}}");
    for (Path file : new Path[] {payload, timers}) {
      Path trace = dir.resolve(file.getFileName() + ".ktrace");
      CliRun r = assertTimeoutPreemptively(LIMIT,
          () -> CliRun.run("run", file.toString(), "--trace", trace.toString()));
      assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit, r.err);
      String line = r.err.strip();
      assertFalse(line.contains("\n"), "one line: " + line);
      assertTrue(line.startsWith("kallisto run: " + file + ": needs about "), line);
      assertTrue(line.endsWith("; lower those fields, raise --budget, or run it capped with"
          + " --force"), line);
      assertTrue(file == payload ? line.contains("workload.payloadBytes 1,048,576")
          && line.contains("workload.outstanding 1,024")
          : line.contains("timers.perWorker 100,000"), line);
      assertFalse(Files.exists(trace), "nothing ran, nothing was written");
      assertEquals("", r.out);
    }
  }

  @Test
  void forceRunsAnOverBudgetScenarioCappedAndSaysWhatItLowered() throws Exception {
    // Two loops, each 100 million timer callbacks a second short of the cores: over any share of
    // a machine with fewer than 200 cores, whatever else it has.
    Path storm = write("storm.json", "{\"workers\": 2, \"workload\": {\"connections\": 2},"
        + " \"timers\": {\"perWorker\": 100000, \"interval\": \"1ms\"}}");
    Path json = dir.resolve("storm-summary.json");
    CliRun r = assertTimeoutPreemptively(LIMIT, () -> CliRun.run("run", storm.toString(),
        "--budget", "10%", "--force", "--duration", "300ms", "--json", json.toString()));
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.startsWith("capped to fit the budget (--force): timers.perWorker 100,000"
        + " -> "), r.out);
    JsonNode s = new ObjectMapper().readTree(Files.readString(json));
    long capped = s.path("scenario").path("timers").path("perWorker").asLong();
    assertTrue(capped > 0 && capped < 100_000, "the JSON has the scenario as run: " + capped);
    assertTrue(r.out.contains("timers.perWorker 100,000 -> " + String.format("%,d", capped)),
        r.out);
  }

  @Test
  void aBudgetThatIsNotAShareIsAUserError() {
    for (String bad : new String[] {"0", "101", "half", "50%%"}) {
      CliRun r = CliRun.run("run", "baseline-echo", "--budget", bad);
      assertEquals(KallistoCli.EXIT_USER_ERROR, r.exit, bad);
      assertEquals("kallisto run: --budget=" + bad + " is not a share; use a percentage from 1"
          + " to 100 (e.g. 80%), or off", r.err.strip());
    }
  }

  private Path write(String name, String json) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, json);
    return file;
  }
}
