package io.kallisto.trace.export;

import io.kallisto.trace.TraceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the golden exports {@code src/test/resources/exports/v1-small.json} and
 * {@code v1-small.pftrace} from the golden trace fixture {@code traces/v1-small.ktrace}: small
 * files whose bytes depend on nothing but the exporters. Run {@link #main} from the engine
 * directory to regenerate them after a deliberate change to an export format;
 * {@link GoldenExportsTest} checks that the committed bytes still come out.
 */
final class GoldenExports {
  static final String TRACE = "/traces/v1-small.ktrace";
  static final String JSON = "/exports/v1-small.json";
  static final String PERFETTO = "/exports/v1-small.pftrace";

  private GoldenExports() {}

  /** Copies the fixture into {@code dir} under its own name, which the exports record. */
  static Path fixture(Path dir) throws IOException {
    Path file = dir.resolve("v1-small.ktrace");
    try (InputStream in = GoldenExports.class.getResourceAsStream(TRACE)) {
      if (in == null) {
        throw new IOException(TRACE + " is not on the test class path");
      }
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  /** Exports the fixture (copied into {@code work}) to {@code json} and {@code perfetto}. */
  static void write(Path work, Path json, Path perfetto) throws IOException {
    try (TraceFile trace = TraceFile.open(fixture(work))) {
      new ChromeTraceExporter(trace).export(json, null);
      // Uncompressed: deflated bytes would depend on the zlib the JDK uses too.
      new PerfettoTraceExporter(trace, Long.MIN_VALUE, Long.MAX_VALUE, false)
          .export(perfetto, null);
    }
  }

  /** Regenerates both golden exports; run from the engine directory. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of("src/test/resources/exports");
    Files.createDirectories(dir);
    Path work = Files.createTempDirectory("golden-exports");
    write(work, dir.resolve("v1-small.json"), dir.resolve("v1-small.pftrace"));
    System.out.println("wrote " + dir.toAbsolutePath() + "/v1-small.{json,pftrace}");
  }
}
