package io.kallisto.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One in-process {@link RecordingKernel} per test class, and bounded ways to run cells on it:
 * every wait on a kernel is bounded, so a hung cell fails its test instead of the build.
 */
abstract class KernelTests {
  static final Duration BOUND = Duration.ofSeconds(60);
  /** How cells name {@link CellSignals}. */
  static final String SIGNALS = "io.kallisto.notebook.kernel.CellSignals";

  static RecordingKernel kernel;

  @BeforeAll
  static void startKernel() {
    kernel = assertTimeoutPreemptively(BOUND, RecordingKernel::new);
  }

  @AfterAll
  static void stopKernel() {
    kernel.onShutdown(false);
  }

  /** Runs a cell that must succeed; returns what it shows. */
  static DisplayData eval(String code) {
    return assertTimeoutPreemptively(BOUND, () -> kernel.eval(code));
  }

  /** Runs a cell that must fail; returns its error. */
  static CellError failure(String code) {
    return assertTimeoutPreemptively(BOUND,
        () -> assertThrows(CellError.class, () -> kernel.eval(code)));
  }

  /** The plain text of what a cell shows, or null. */
  static String text(DisplayData d) {
    return d == null ? null : String.valueOf(d.getData(MIMEType.TEXT_PLAIN));
  }
}
