package io.kallisto.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Figures JMH cannot report itself (latency percentiles from our own HdrHistograms, wakeups per
 * million posts), written by the forked benchmark JVM one line per measurement iteration, and
 * read back by {@link StandardRun}.
 *
 * <p>Line format, tab separated: {@code benchmark loop metric value}. The file is named by the
 * system property {@value #PROPERTY}; without it the lines go to standard output, which JMH
 * shows, so that a benchmark run straight from {@code benchmarks.jar} still shows them.
 */
public final class SideResults {
  /** The system property naming the file to append to. */
  public static final String PROPERTY = "kallisto.bench.side";

  private SideResults() {}

  /**
   * Records {@code value} for one iteration. Warmup iterations are skipped, so that the file
   * holds what the primary JMH score also counts.
   */
  public static void record(IterationParams iteration, String benchmark, String loop,
      String metric, double value) {
    if (iteration.getType() != IterationType.MEASUREMENT) {
      return;
    }
    String line = String.format(Locale.ROOT, "%s\t%s\t%s\t%.6g%n", benchmark, loop, metric,
        value);
    String file = System.getProperty(PROPERTY);
    if (file == null || file.isEmpty()) {
      System.out.print("[side] " + line);
      return;
    }
    try {
      Files.write(Path.of(file), line.getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }
}
