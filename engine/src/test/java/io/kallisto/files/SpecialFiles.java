package io.kallisto.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Special files for tests of what commands refuse: FIFOs made with mkfifo(1), and immutable
 * folders made with chattr(1). Tests run as root, which writes into a
 * folder whatever its mode bits say; an immutable folder ({@code chattr +i}, which needs
 * CAP_LINUX_IMMUTABLE) refuses even root. Where that is not possible, tests say so and skip that
 * one case.
 */
public final class SpecialFiles {
  private SpecialFiles() {}

  /** A new FIFO at {@code path}. */
  public static Path fifo(Path path) throws IOException, InterruptedException {
    run("mkfifo", path.toString());
    if (!Files.exists(path) || Files.isRegularFile(path)) {
      throw new IOException("mkfifo made no FIFO at " + path);
    }
    return path;
  }

  /**
   * Makes {@code dir} immutable and returns a handle that makes it mutable again, or empty if
   * this machine cannot (no chattr, no capability, a file system without the flag).
   */
  public static Optional<AutoCloseable> immutable(Path dir) throws InterruptedException {
    try {
      run("chattr", "+i", dir.toString());
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(() -> run("chattr", "-i", dir.toString()));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    // Close our end of its stdin now: left to the garbage collector, that fd would close in the
    // middle of a later test, and FdLeakTest counts fds.
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 30 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue());
    }
  }
}
