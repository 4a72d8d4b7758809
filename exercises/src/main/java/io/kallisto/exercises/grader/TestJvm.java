package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one test class in a confined JVM of its own ({@link ForkMain}), with a fresh results key
 * on its stdin, its results channel and output drained on threads of their own, a time limit,
 * and everything it started killed at the end, however it ended. Called by the grading thread.
 *
 * <pre>{@code
 * TestJvm.Outcome o = TestJvm.run(Sandbox.detect(), jvmArgs, "p.FooTest", home, timeout, heap);
 * o.results().result("someTest");
 * }</pre>
 */
final class TestJvm {
  /** How long the drains may take to see the end of the output once every process is gone. */
  private static final long DRAIN_MILLIS = 5000;

  /**
   * How the JVM ended.
   *
   * @param results the signed results it reported
   * @param timedOut whether it was killed at the time limit
   * @param exitCode its exit code (or the wrapper's), meaningless if timed out
   * @param memoryExceeded whether the kernel killed it for going over the sandbox's memory
   * @param output the head and tail of its stdout and stderr (its tests' output)
   * @param outputBytes how much output it wrote
   * @param truncated whether more than {@link Sandbox#OUTPUT_BYTES} was written
   * @param leftovers whether a process outlived the kill (it held the output open, or would
   *     not die)
   */
  record Outcome(ResultsReader results, boolean timedOut, int exitCode, boolean memoryExceeded,
      String output, long outputBytes, boolean truncated, boolean leftovers) {}

  private TestJvm() {}

  /**
   * Runs {@code testClass} with {@code jvmArgs} (heap, class path, properties: everything
   * before the main class) in {@code home}, a fresh directory that becomes its HOME and TMPDIR.
   *
   * @throws IllegalStateException if the grader began shutting down meanwhile: the outcome
   *     would be cut short, not the student's
   */
  static Outcome run(Sandbox sandbox, List<String> jvmArgs, String testClass, Path home,
      Duration timeout, long heapBytes) throws IOException {
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    String simple = testClass.substring(testClass.lastIndexOf('.') + 1);
    Confinement confinement = sandbox.confine(home, simple, heapBytes);
    try {
      GradingShutdown.track(confinement);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-XX:MaxDirectMemorySize=" + Sandbox.MAX_DIRECT,
          // The JVM's own last words (OutOfMemoryError) go to stderr, not the results channel.
          "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr",
          "-XX:-UsePerfData",
          "-Djava.io.tmpdir=" + tmp, "-Djna.tmpdir=" + tmp, "-Duser.home=" + home));
      command.addAll(jvmArgs);
      command.addAll(List.of(ForkMain.class.getName(), testClass));
      Process p = confinement.start(command, Map.of("PATH", "/usr/bin:/bin",
          "HOME", home.toString(), "TMPDIR", tmp.toString(), "LANG", "C.UTF-8",
          // Fewer malloc arenas: less address space reserved per thread under RLIMIT_AS.
          "MALLOC_ARENA_MAX", "2"));
      String key = ForkChannel.newKey();
      ResultsReader results = new ResultsReader(p.getInputStream(), ForkChannel.keyed(key),
          testClass);
      CappedOutput output = new CappedOutput(p.getErrorStream(), Sandbox.OUTPUT_BYTES,
          "kallisto-output-" + simple);
      OutputStream lifeline = p.getOutputStream();
      try {
        lifeline.write((key + "\n").getBytes(StandardCharsets.US_ASCII));
        lifeline.flush();
      } catch (IOException e) {
        // It died at once; the outcome says how.
      }
      boolean finished;
      try {
        finished = confinement.awaitExit(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finished = false;
      }
      boolean clean = confinement.killAll();
      clean &= results.await(DRAIN_MILLIS) & output.await(DRAIN_MILLIS);
      try {
        lifeline.close();
      } catch (IOException e) {
        // Already broken: the JVM is gone.
      }
      if (GradingShutdown.began()) {
        throw new IllegalStateException("grading interrupted: the grader is shutting down");
      }
      return new Outcome(results, !finished, finished ? p.exitValue() : -1,
          confinement.memoryExceeded(), output.text(), output.total(), output.truncated(),
          !clean);
    } finally {
      confinement.close();
      GradingShutdown.release(confinement);
    }
  }
}
