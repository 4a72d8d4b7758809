package io.kallisto.notebook;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What else the machine was doing while a measurement ran: how many cores other processes used,
 * how much CPU the hypervisor stole, and the load average. An environment {@link Claim} reports
 * these beside its figures, and names them as the likely reason when a prediction about speed
 * did not come true.
 *
 * <pre>{@code
 * Machine.Sample before = Machine.sample();
 * ... run the experiment ...
 * Machine.Conditions c = Machine.since(before);
 * c.otherCores();     // 1.3: other processes kept 1.3 of the cores busy
 * c;                  // "other processes used 1.3 of 2 cores, steal 0.0 %, load 3.1"
 * }</pre>
 *
 * <p>On Linux it reads {@code /proc/stat} (see proc(5): the {@code cpu} line's user, nice,
 * system, idle, iowait, irq, softirq and steal columns, in clock ticks) and
 * {@code /proc/loadavg}; elsewhere every figure is NaN and the text says "unknown". Safe from any
 * thread.
 */
public final class Machine {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path LOADAVG = Path.of("/proc/loadavg");
  /** Shorter windows hold too few 10 ms ticks of /proc/stat to name load as a reason. */
  static final double MIN_WINDOW_SECONDS = 0.5;
  /** USER_HZ: the unit of /proc/stat on every Linux architecture Kallisto runs on. */
  private static final double TICKS_PER_SECOND = 100;

  private static final Object WINDOW_LOCK = new Object();
  /** Nesting depth of measurement windows: only the outermost is recorded. */
  private static int windowDepth;
  private static Sample windowStart;
  /** The last completed measurement window, and when (nanoTime) it ended. */
  private static volatile Conditions lastWindow;
  private static volatile long lastWindowEnd = Long.MIN_VALUE;

  private Machine() {}

  /**
   * Starts a measurement window: {@link Trials#run} and {@link Experiment#run} call it around
   * their runs, so that a {@link Claim} made afterwards reports the conditions during the
   * measurement rather than during whatever ran between two claims. Windows nest; only the
   * outermost one counts. Pair every call with {@link #endWindow()}, in a {@code finally}.
   *
   * <pre>{@code
   * Machine.beginWindow();
   * try { runMyExperiment(); } finally { Machine.endWindow(); }
   * }</pre>
   */
  public static void beginWindow() {
    synchronized (WINDOW_LOCK) {
      if (windowDepth++ == 0) {
        windowStart = sample();
      }
    }
  }

  /** Ends the window {@link #beginWindow()} started; the outermost one is recorded. */
  public static void endWindow() {
    synchronized (WINDOW_LOCK) {
      if (windowDepth == 0) {
        throw new IllegalStateException("endWindow() without beginWindow()");
      }
      if (--windowDepth == 0) {
        lastWindow = since(windowStart);
        lastWindowEnd = System.nanoTime();
      }
    }
  }

  /**
   * The conditions of the last measurement window that ended after {@code sinceNanos} (a
   * {@link System#nanoTime()} value), or {@code null} if none did.
   */
  static Conditions windowEndedAfter(long sinceNanos) {
    long end = lastWindowEnd;
    return end != Long.MIN_VALUE && end - sinceNanos > 0 ? lastWindow : null;
  }

  /**
   * One reading of the machine's CPU counters and this JVM's CPU time.
   *
   * @param wallNanos {@link System#nanoTime()} when read
   * @param busyTicks all CPUs' non-idle, non-steal time, in clock ticks; -1 if unknown
   * @param stealTicks all CPUs' steal time, ticks; -1 if unknown
   * @param totalTicks all CPUs' time, ticks; -1 if unknown
   * @param jvmCpuNanos this JVM's CPU time, ns
   */
  public record Sample(long wallNanos, long busyTicks, long stealTicks, long totalTicks,
      long jvmCpuNanos) {}

  /**
   * What the machine did between two samples.
   *
   * @param seconds wall time between them
   * @param cores the machine's cores
   * @param otherCores cores kept busy by everything but this JVM, on average (NaN if unknown)
   * @param jvmCores cores this JVM kept busy, on average
   * @param stealPercent CPU time the hypervisor took from this machine (NaN if unknown)
   * @param loadAverage the one-minute load average at the end (NaN if unknown)
   */
  public record Conditions(double seconds, int cores, double otherCores, double jvmCores,
      double stealPercent, double loadAverage) {
    /**
     * True when others used a quarter of a core or more, or steal was 2 % or more, over a window
     * long enough to tell (half a second: {@code /proc/stat} counts in 10 ms ticks).
     */
    public boolean disturbed() {
      return likelyReason() != null;
    }

    /**
     * Why a speed prediction may have failed, from these conditions; {@code null} when they
     * look quiet.
     */
    public String likelyReason() {
      if (seconds < MIN_WINDOW_SECONDS) {
        return null; // a few ticks: noise, not a finding
      }
      if (otherCores >= 0.25) {
        return String.format(Locale.ROOT, "load: other processes kept %s of the %d cores busy"
            + " meanwhile", Numbers.plain(otherCores), cores);
      }
      if (stealPercent >= 2) {
        return String.format(Locale.ROOT, "steal: the hypervisor took %s %% of the CPU"
            + " meanwhile", Numbers.plain(stealPercent));
      }
      return null;
    }

    /** The conditions as JSON-ready values, for a notebook's output metadata. */
    public Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seconds", round(seconds));
      m.put("cores", cores);
      m.put("other_cores", round(otherCores));
      m.put("jvm_cores", round(jvmCores));
      m.put("steal_percent", round(stealPercent));
      m.put("load_average", round(loadAverage));
      return m;
    }

    private static Object round(double v) {
      return Double.isNaN(v) ? "unknown" : Math.round(v * 100) / 100.0;
    }

    @Override
    public String toString() {
      if (Double.isNaN(otherCores)) {
        return "machine load unknown (no /proc/stat)";
      }
      return String.format(Locale.ROOT, "over %s s: this JVM used %s of %d cores, other"
          + " processes %s, steal %s %%, load average %s", Numbers.plain(seconds),
          Numbers.plain(jvmCores), cores, Numbers.plain(otherCores), Numbers.plain(stealPercent),
          Numbers.plain(loadAverage));
    }
  }

  /** Reads the counters now. */
  public static Sample sample() {
    long wall = System.nanoTime();
    long busy = -1;
    long steal = -1;
    long total = -1;
    try {
      String line = Files.readAllLines(STAT).get(0);
      String[] f = line.trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal
      if (f.length >= 9 && f[0].equals("cpu")) {
        long[] v = new long[8];
        for (int i = 0; i < 8; i++) {
          v[i] = Long.parseLong(f[i + 1]);
        }
        steal = v[7];
        long idle = v[3] + v[4];
        total = 0;
        for (long x : v) {
          total += x;
        }
        busy = total - idle - steal;
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or an unreadable /proc: the figures stay unknown.
    }
    return new Sample(wall, busy, steal, total, jvmCpuNanos());
  }

  /** What happened between {@code before} and now. */
  public static Conditions since(Sample before) {
    return between(before, sample());
  }

  /** What happened between two samples. */
  public static Conditions between(Sample a, Sample b) {
    int cores = Runtime.getRuntime().availableProcessors();
    double seconds = Math.max(1e-9, (b.wallNanos() - a.wallNanos()) / 1e9);
    double jvm = (b.jvmCpuNanos() - a.jvmCpuNanos()) / 1e9 / seconds;
    double other = Double.NaN;
    double steal = Double.NaN;
    if (a.busyTicks() >= 0 && b.busyTicks() >= 0) {
      double busyCores = (b.busyTicks() - a.busyTicks()) / TICKS_PER_SECOND / seconds;
      // Ticks are coarse (10 ms): over short windows the JVM's exact CPU time can exceed them.
      other = Math.max(0, busyCores - jvm);
      long dt = b.totalTicks() - a.totalTicks();
      steal = dt <= 0 ? 0 : 100.0 * (b.stealTicks() - a.stealTicks()) / dt;
    }
    return new Conditions(seconds, cores, other, jvm, steal, loadAverage());
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static long jvmCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
  }
}
