package io.kallisto.run;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What this JVM on this machine can give a run: the numbers a {@link ResourceBudget} takes a
 * share of. {@link #ofThisJvm()} reads them; tests make their own.
 *
 * @param maxHeap the JVM's maximum heap ({@link Runtime#maxMemory()})
 * @param maxDirect the most direct (off-heap) buffer memory the JVM allows:
 *     {@code -XX:MaxDirectMemorySize}, or the maximum heap when that is not set (HotSpot's default)
 * @param physical the machine's memory, or its container's limit where there is one
 * @param threadLimit the most threads this process may have: the lowest of the user's process
 *     limit ({@code ulimit -u}), the kernel's {@code threads-max} and the cgroup's
 *     {@code pids.max}; {@link Long#MAX_VALUE} where none is known
 * @param cores the cores the JVM may use ({@link Runtime#availableProcessors()})
 * @param stackBytes the stack each new thread reserves ({@code -Xss}, or the default)
 */
public record MachineLimits(long maxHeap, long maxDirect, long physical, long threadLimit,
    int cores, long stackBytes) {

  /** The limits of this JVM, on this machine. */
  public static MachineLimits ofThisJvm() {
    long heap = Runtime.getRuntime().maxMemory();
    long direct = heap;
    long stack = 1L << 20;
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot != null) {
      long d = parse(hotspot.getVMOption("MaxDirectMemorySize").getValue(), 0);
      direct = d > 0 ? d : heap;
      long kib = parse(hotspot.getVMOption("ThreadStackSize").getValue(), 0);
      stack = kib > 0 ? kib << 10 : stack;
    }
    long physical = Long.MAX_VALUE;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      physical = os.getTotalMemorySize(); // container-aware since JDK 14
    }
    return new MachineLimits(heap, direct, physical, readThreadLimit(),
        Runtime.getRuntime().availableProcessors(), stack);
  }

  /** The lowest thread limit Linux reports for this process; MAX_VALUE elsewhere. */
  static long readThreadLimit() {
    long limit = Long.MAX_VALUE;
    // proc(5): "Max processes  <soft>  <hard>  processes"; RLIMIT_NPROC counts threads too.
    for (String line : lines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max processes")) {
        String[] f = line.substring("Max processes".length()).trim().split("\\s+");
        limit = Math.min(limit, parse(f[0], Long.MAX_VALUE));
      }
    }
    for (String line : lines(Path.of("/proc/sys/kernel/threads-max"))) {
      limit = Math.min(limit, parse(line.trim(), Long.MAX_VALUE));
    }
    // cgroup v2: "0::/some/group" in /proc/self/cgroup; its pids.max is "max" or a number.
    for (String line : lines(Path.of("/proc/self/cgroup"))) {
      if (line.startsWith("0::")) {
        Path group = Path.of("/sys/fs/cgroup", line.substring(3));
        for (String max : lines(group.resolve("pids.max"))) {
          limit = Math.min(limit, parse(max.trim(), Long.MAX_VALUE));
        }
      }
    }
    return limit;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException | RuntimeException e) {
      return List.of(); // unreadable: that limit is simply not known
    }
  }

  private static long parse(String text, long otherwise) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return otherwise; // "unlimited", "max"
    }
  }
}
