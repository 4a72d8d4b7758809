package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What this machine lets the grader do to contain a test JVM, found out once by trying it:
 * <ul>
 *   <li>namespaces ({@code unshare}): a PID namespace, so that every process the tests start
 *       dies with the JVM, and a network namespace with only loopback;
 *   <li>cgroup v1 memory and pids groups: memory (heap and off-heap) and task count capped;
 *   <li>rlimits ({@code prlimit}): file size and core dumps; the address space when no cgroup
 *       caps memory;
 *   <li>{@code setsid}: a process group of its own, for the fallback kill;
 *   <li>{@code setpriv}: no capabilities, so that a JVM run by root cannot undo the rest.
 * </ul>
 * Each that is missing falls back cleanly, and {@link #describe} says what a grade rests on.
 * Immutable; safe from any thread.
 */
public final class Sandbox {
  /** The test JVM's {@code -XX:MaxDirectMemorySize}. */
  static final String MAX_DIRECT = "64m";
  /** Memory a cgroup allows beyond the heap: metaspace, code, thread stacks, direct buffers. */
  static final long OFF_HEAP_BYTES = 512L << 20;
  /** Address space RLIMIT_AS allows beyond the heap (reservations, not use: see confine). */
  static final long ADDRESS_SPACE_BYTES = 2048L << 20;
  /** Processes and threads in one test JVM's pids group. */
  static final int MAX_TASKS = 512;
  /** The largest file a test JVM may write (its traces: under 1 MiB each in every exercise). */
  static final long MAX_FILE_BYTES = 64L << 20;
  /** Output of a test JVM kept per class. */
  static final int OUTPUT_BYTES = 1 << 20;

  private static final List<String> SEARCH = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin",
      "/usr/local/bin");
  private static Sandbox detected;

  private final List<String> unshare;
  private final String ip;
  private final Path[] cgroupParents;
  private final String prlimit;
  private final String setsid;
  private final String setpriv;
  private final List<String> missing;

  private Sandbox(List<String> unshare, String ip, Path[] cgroupParents, String prlimit,
      String setsid, String setpriv, List<String> missing) {
    this.unshare = unshare;
    this.ip = ip;
    this.cgroupParents = cgroupParents;
    this.prlimit = prlimit;
    this.setsid = setsid;
    this.setpriv = setpriv;
    this.missing = List.copyOf(missing);
  }

  /** What this machine allows; tried once per grader JVM (about 50 ms), then remembered. */
  public static synchronized Sandbox detect() {
    if (detected == null) {
      detected = probe();
    }
    return detected;
  }

  /** No containment at all beyond the JVM's own limits: for tests of the fallbacks. */
  static Sandbox none() {
    return new Sandbox(null, null, null, null, null, null, List.of("namespaces: off",
        "cgroup: off", "rlimits: off", "capabilities: kept"));
  }

  /** This sandbox without namespaces, as on a machine that refuses them. */
  Sandbox withoutNamespaces() {
    List<String> m = new ArrayList<>(missing);
    m.add("namespaces: off");
    return new Sandbox(null, null, cgroupParents, prlimit, setsid, setpriv, m);
  }

  /** This sandbox without cgroups, as on a machine that refuses them. */
  Sandbox withoutCgroups() {
    List<String> m = new ArrayList<>(missing);
    m.add("cgroup: off");
    return new Sandbox(unshare, ip, null, prlimit, setsid, setpriv, m);
  }

  /** Whether test JVMs get PID and network namespaces. */
  boolean namespaces() {
    return unshare != null;
  }

  /** Whether test JVMs get cgroups. */
  boolean cgroups() {
    return cgroupParents != null;
  }

  /** One line per mechanism: what is active, or what is missing and why, for a report. */
  public List<String> describe(long heapBytes) {
    List<String> d = new ArrayList<>();
    if (unshare != null) {
      d.add("namespaces: pid (every process the tests start dies with their JVM), net (loopback"
          + " only), mount (own /proc, cgroups hidden)"
          + (unshare.contains("--user") ? ", user" : ""));
    }
    if (cgroupParents != null) {
      d.add("cgroup v1: memory <= " + mib(heapBytes + OFF_HEAP_BYTES) + " (heap and off-heap),"
          + " <= " + MAX_TASKS + " processes and threads");
    }
    if (prlimit != null) {
      d.add("rlimits: file size <= " + mib(MAX_FILE_BYTES) + ", no core dumps"
          + (cgroupParents == null ? ", address space <= "
              + mib(heapBytes + ADDRESS_SPACE_BYTES) : ""));
    }
    d.add("jvm: -Xmx " + mib(heapBytes) + ", direct buffers <= " + MAX_DIRECT + ", environment"
        + " PATH, HOME, TMPDIR and LANG only, " + mib(OUTPUT_BYTES) + " of output kept per class"
        + (setsid != null ? ", a process group of its own" : "")
        + (setpriv != null ? ", no capabilities (setpriv)" : ""));
    for (String m : missing) {
      d.add("missing: " + m);
    }
    return d;
  }

  /**
   * A confinement for one test JVM in {@code dir} (its home), with memory limits sized for a
   * heap of {@code heapBytes}. Close it after the JVM ended.
   */
  Confinement confine(Path dir, String name, long heapBytes) {
    CgroupV1 group = cgroupParents == null ? null : CgroupV1.create(cgroupParents,
        "kallisto-" + ProcessHandle.current().pid() + "-" + name, heapBytes + OFF_HEAP_BYTES,
        MAX_TASKS);
    List<String> prefix = new ArrayList<>();
    if (setsid != null) {
      prefix.add(setsid);
    }
    if (group != null) {
      // The shell joins the groups, then becomes the rest: nothing starts outside them.
      prefix.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$1/cgroup.procs\" && echo $$ >"
          + " \"$2/cgroup.procs\" && shift 2 && exec \"$@\"", "kallisto-cgroup",
          group.memoryDir().toString(), group.pidsDir().toString()));
    }
    Map<String, String> env = new HashMap<>();
    if (prlimit != null) {
      prefix.addAll(List.of(prlimit, "--fsize=" + MAX_FILE_BYTES, "--core=0"));
      if (group == null) {
        prefix.add("--as=" + (heapBytes + ADDRESS_SPACE_BYTES));
        // A JVM reserves 1 GiB of class space, 240 MiB of code cache and a quarter of the RAM
        // as heap up front; smaller reservations leave the address-space limit to what the
        // tests really map. In the environment, so that a JVM the tests start (Lincheck's
        // self-attach) fits too; the test JVM's own -Xmx comes later and wins.
        env.put("JAVA_TOOL_OPTIONS", "-XX:CompressedClassSpaceSize=256m"
            + " -XX:ReservedCodeCacheSize=128m -Xmx128m");
      }
      prefix.add("--");
    }
    if (unshare != null) {
      prefix.addAll(unshare);
      // Inside the namespaces: loopback up, the cgroup hierarchies hidden (a root JVM could
      // otherwise move itself out of its groups), then on to the rest.
      prefix.addAll(List.of("/bin/sh", "-c", inside(ip) + " && exec \"$@\"", "kallisto-netns"));
    }
    if (setpriv != null) {
      // Last before java: even as root it holds no capability, so it cannot undo the above.
      prefix.addAll(List.of(setpriv, "--bounding-set=-all", "--inh-caps=-all",
          "--no-new-privs"));
    }
    return new Confinement(prefix, env, group, unshare != null, setsid != null, dir);
  }

  /** {@code 256m}, {@code 1g}, {@code 65536k} or a byte count, in bytes; -1 if malformed. */
  static long parseSize(String size) {
    if (size == null || !size.matches("\\d{1,15}[kKmMgGtT]?")) {
      return -1;
    }
    char unit = Character.toLowerCase(size.charAt(size.length() - 1));
    int shift = switch (unit) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      case 't' -> 40;
      default -> 0;
    };
    String digits = shift == 0 ? size : size.substring(0, size.length() - 1);
    long n = Long.parseLong(digits);
    return n > (Long.MAX_VALUE >> shift) ? -1 : n << shift;
  }

  /** The shell line run first inside the namespaces. */
  private static String inside(String ip) {
    return ip + " link set lo up && { [ ! -d /sys/fs/cgroup ] || mount -t tmpfs -o ro,size=4k"
        + " kallisto-hidden /sys/fs/cgroup; }";
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  private static Sandbox probe() {
    List<String> missing = new ArrayList<>();
    String sh = Files.isExecutable(Path.of("/bin/sh")) ? "/bin/sh" : null;
    String setsid = tool("setsid");
    String prlimit = tool("prlimit");
    String unshareTool = tool("unshare");
    String ip = tool("ip");
    String setpriv = tool("setpriv");
    if (sh == null) {
      // Every wrapper is a shell line: without /bin/sh (not Linux) the JVM runs bare.
      return new Sandbox(null, null, null, null, null, null, List.of("containment: no /bin/sh"));
    }
    if (setpriv != null && !succeeds(List.of(setpriv, "--bounding-set=-all", "--inh-caps=-all",
        "--no-new-privs", sh, "-c", "true"))) {
      setpriv = null;
    }
    if (setpriv == null) {
      missing.add("capabilities: kept (no setpriv from util-linux)");
    }
    if (prlimit != null && !succeeds(List.of(prlimit, "--fsize=1048576", "--core=0", "--",
        sh, "-c", "true"))) {
      missing.add("rlimits: prlimit refused");
      prlimit = null;
    } else if (prlimit == null) {
      missing.add("rlimits: no prlimit (util-linux)");
    }
    List<String> unshare = null;
    if (unshareTool == null || ip == null) {
      missing.add("namespaces: no " + (unshareTool == null ? "unshare (util-linux)"
          : "ip (iproute2) to bring loopback up"));
    } else {
      List<String> base = List.of(unshareTool, "--pid", "--net", "--mount", "--fork",
          "--kill-child", "--mount-proc");
      List<String> user = new ArrayList<>(List.of(unshareTool, "--user", "--map-root-user"));
      user.addAll(base.subList(1, base.size()));
      for (List<String> u : List.of(base, user)) {
        List<String> cmd = new ArrayList<>(u);
        cmd.addAll(List.of(sh, "-c", inside(ip)));
        if (succeeds(cmd)) {
          unshare = u;
          break;
        }
      }
      if (unshare == null) {
        missing.add("namespaces: unshare refused (no privilege for pid and net namespaces):"
            + " descendants are killed by cgroup or process group instead");
      }
    }
    Path[] parents = CgroupV1.parents().orElse(null);
    if (parents == null) {
      missing.add(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
          ? "cgroup: only v2 here, which the grader does not use yet" : "cgroup: no v1 memory"
          + " and pids controllers");
    } else {
      sweepStale(parents);
      try {
        CgroupV1.create(parents, "kallisto-probe-" + ProcessHandle.current().pid(), 1L << 30,
            MAX_TASKS).remove();
      } catch (UncheckedIOException e) {
        missing.add("cgroup: v1 not writable here (" + e.getCause().getClass().getSimpleName()
            + ")");
        parents = null;
      }
    }
    return new Sandbox(unshare, ip, parents, prlimit, setsid, setpriv, missing);
  }

  /** Removes the groups of graders that died without cleaning up (SIGKILL). */
  private static void sweepStale(Path[] parents) {
    for (Path parent : parents) {
      try (Stream<Path> s = Files.list(parent)) {
        s.filter(p -> p.getFileName().toString().matches("kallisto-\\d+-.+"))
            .filter(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString()
                .split("-")[1])).isEmpty())
            .forEach(p -> {
              try {
                Files.deleteIfExists(p);
              } catch (IOException e) {
                // Still has members: left for a later sweep.
              }
            });
      } catch (IOException | UncheckedIOException e) {
        // Not listable: nothing to sweep.
      }
    }
  }

  private static String tool(String name) {
    return SEARCH.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable)
        .map(Path::toString).findFirst().orElse(null);
  }

  private static boolean succeeds(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
