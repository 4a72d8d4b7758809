package io.kallisto.exercises.grader;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the grader must undo if it is stopped (SIGINT, SIGTERM, {@code System.exit}) in the
 * middle of a grading: the live test JVMs, with everything they started, are killed, then the
 * work directories (compiled hidden tests) are removed. One JVM-wide shutdown hook, installed on
 * first use. Safe from any thread.
 */
final class GradingShutdown {
  private static final Set<Confinement> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();
  private static volatile boolean began;
  private static volatile Consumer<Path> remover;

  private GradingShutdown() {}

  /** Tracks a work directory until {@link #release}; {@code delete} removes such a tree. */
  static synchronized void track(Path workDir, Consumer<Path> delete) {
    if (remover == null) {
      remover = delete;
      Runtime.getRuntime().addShutdownHook(new Thread(GradingShutdown::run,
          "kallisto-grade-shutdown"));
    }
    DIRS.add(workDir);
  }

  /** Stops tracking a work directory (the grading removed it). */
  static void release(Path workDir) {
    DIRS.remove(workDir);
  }

  /**
   * Tracks a test JVM's confinement until {@link #release(Confinement)}.
   *
   * @throws IllegalStateException if the grader is already shutting down
   */
  static void track(Confinement c) {
    LIVE.add(c);
    if (began) {
      c.killAll();
      throw new IllegalStateException("grading interrupted: the grader is shutting down");
    }
  }

  /** Stops tracking a confinement (its JVM ended and was cleaned up). */
  static void release(Confinement c) {
    LIVE.remove(c);
  }

  /** Whether the grader is shutting down: a result seen now may be cut short, not real. */
  static boolean began() {
    return began;
  }

  private static void run() {
    began = true;
    LIVE.forEach(Confinement::close);
    DIRS.forEach(remover);
  }
}
