package io.kallisto.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes used while a benchmark ran: all CPUs' busy time from
 * {@code /proc/stat} minus this process's own from {@code /proc/self/stat}, in CPUs (0 to the
 * machine's count). On a shared 2-CPU machine an iteration with another process busy can halve a
 * two-thread score; this figure lets a reader tell such an iteration from a slow loop.
 *
 * <pre>{@code
 * OtherLoad load = OtherLoad.start();   // in @Setup(Level.Iteration)
 * double cpus = load.cpus();            // in @TearDown(Level.Iteration)
 * }</pre>
 *
 * <p><b>Note:</b> Linux only, in clock ticks (usually 10 ms), so meaningful over about a second
 * or more; {@link #cpus()} returns NaN where the files cannot be read.
 */
final class OtherLoad {
  private final long startNanos;
  private final long startOthers;

  private OtherLoad(long startNanos, long startOthers) {
    this.startNanos = startNanos;
    this.startOthers = startOthers;
  }

  /** Notes the time and the other processes' busy ticks so far. */
  static OtherLoad start() {
    return new OtherLoad(System.nanoTime(), othersTicks());
  }

  /** Average CPUs busy outside this process since {@link #start()}, or NaN if unknown. */
  double cpus() {
    long others = othersTicks();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    if (others < 0 || startOthers < 0 || seconds <= 0) {
      return Double.NaN;
    }
    return Math.max(0, (others - startOthers) / TICKS_PER_SECOND / seconds);
  }

  /** USER_HZ: 100 on every mainstream Linux build. */
  private static final double TICKS_PER_SECOND = 100;

  private static long othersTicks() {
    try {
      // "cpu  user nice system idle iowait irq softirq steal ...". Not irq and softirq: the
      // loopback traffic's own softirq time lands there, not in this process's stime.
      String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 8}) {
        busy += Long.parseLong(all[i]);
      }
      // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
      String self = Files.readString(Path.of("/proc/self/stat"));
      String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return busy - own;
    } catch (IOException | RuntimeException e) { // unreadable or not Linux: unknown
      return -1;
    }
  }
}
