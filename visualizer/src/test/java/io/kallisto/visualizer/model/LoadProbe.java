package io.kallisto.visualizer.model;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints how long {@link TraceModel#load(Path)} takes, load after load in one JVM (the first is
 * cold, the later ones warm), and the heap in use after a full GC with the last model held: the
 * figures of BENCHMARKS.md's "First open (issue 17)". Run from the repository root after
 * {@code mvn -B -ntp -q -pl engine,visualizer -DskipTests test-compile}:
 *
 * <pre>
 * java -cp engine/target/classes:visualizer/target/classes:visualizer/target/test-classes \
 *   io.kallisto.visualizer.model.LoadProbe big.ktrace 4
 * </pre>
 *
 * <p>{@code -Dkallisto.load.threads=1} loads on one thread (the sequential path);
 * {@code --columns} also prints the heap's largest classes (arrays of long, int, byte...) with the
 * model held, through {@code jcmd GC.class_histogram}.
 */
public final class LoadProbe {
  private LoadProbe() {}

  private static void histogram() {
    try {
      long pid = ProcessHandle.current().pid();
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
          .redirectErrorStream(true).start();
      try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
        r.lines().limit(14).forEach(System.out::println);
      }
      p.waitFor();
    } catch (java.io.IOException | InterruptedException e) {
      System.out.println("no histogram: " + e);
    }
  }

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: LoadProbe FILE [LOADS] [--columns]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    int loads = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 4;
    boolean columns = java.util.Arrays.asList(args).contains("--columns");
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.printf(Locale.ROOT, "jvm up %d ms before the first load; %d CPUs, threads %s%n",
        System.currentTimeMillis() - jvmStart, Runtime.getRuntime().availableProcessors(),
        System.getProperty(Workers.THREADS_PROPERTY, "default"));
    TraceModel model = null;
    for (int i = 1; i <= loads; i++) {
      model = null;
      long t0 = System.nanoTime();
      model = TraceModel.load(file);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(Locale.ROOT, "load %d (%s): %d ms, %,d events%n", i,
          i == 1 ? "cold" : "warm", ms, model.eventCount());
    }
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long used = rt.totalMemory() - rt.freeMemory();
    System.out.printf(Locale.ROOT, "heap used after GC, model held: %.1f MiB (%.1f B/event)%n",
        used / 1048576.0, (double) used / model.eventCount());
    if (columns) {
      histogram();
    }
    System.out.println(model.lanes().size() + " lanes"); // keeps the model reachable
  }
}
