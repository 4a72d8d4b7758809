package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A pair of cgroup v1 groups, one in the memory and one in the pids hierarchy, holding one test
 * JVM and everything it starts: their memory (heap and off-heap alike) and their number of
 * processes and threads are capped, and {@link #killAll} finds every member, however it was
 * started (setsid, double fork). Created and removed by the thread that grades the class; the
 * grader's shutdown hook may call {@link #killAll} concurrently.
 */
final class CgroupV1 {
  private static final Path MOUNT = Path.of("/sys/fs/cgroup");

  private final Path memory;
  private final Path pids;

  private CgroupV1(Path memory, Path pids) {
    this.memory = memory;
    this.pids = pids;
  }

  /**
   * The directories under which this process may create memory and pids groups: its own groups
   * when visible, else the hierarchies' roots; empty if the v1 controllers are not mounted.
   */
  static Optional<Path[]> parents() {
    Path mem = own("memory");
    Path pid = own("pids");
    return mem == null || pid == null ? Optional.empty() : Optional.of(new Path[] {mem, pid});
  }

  private static Path own(String controller) {
    Path root = MOUNT.resolve(controller);
    if (!Files.isRegularFile(root.resolve("cgroup.procs"))) {
      return null;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        String[] f = line.split(":", 3);
        if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
          Path mine = root.resolve(f[2].substring(1));
          return Files.isDirectory(mine) ? mine : root;
        }
      }
    } catch (IOException e) {
      return root;
    }
    return root;
  }

  /**
   * Creates the groups {@code name} under {@code parents} with these limits.
   *
   * @throws UncheckedIOException if the hierarchies are not writable
   */
  static CgroupV1 create(Path[] parents, String name, long memoryBytes, int maxTasks) {
    CgroupV1 g = new CgroupV1(parents[0].resolve(name), parents[1].resolve(name));
    try {
      Files.createDirectory(g.memory);
      Files.createDirectory(g.pids);
      write(g.memory.resolve("memory.limit_in_bytes"), memoryBytes);
      Path swap = g.memory.resolve("memory.memsw.limit_in_bytes");
      if (Files.exists(swap)) {
        // Equal to the memory limit: no swapping past it.
        write(swap, memoryBytes);
      }
      write(g.pids.resolve("pids.max"), maxTasks);
    } catch (IOException e) {
      g.remove();
      throw new UncheckedIOException("creating cgroup " + name + ": " + e.getMessage(), e);
    }
    return g;
  }

  /** The memory group's directory. */
  Path memoryDir() {
    return memory;
  }

  /** The pids group's directory. */
  Path pidsDir() {
    return pids;
  }

  /**
   * Kills every process in the group until none is left or about {@code millis} passed; true
   * if none is left. A member forking meanwhile is found on the next round; pids.max bounds
   * how many rounds a fork loop can force.
   */
  boolean killAll(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      List<String> members;
      try {
        members = Files.readAllLines(pids.resolve("cgroup.procs"));
      } catch (IOException e) {
        return true;
      }
      if (members.isEmpty()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      for (String pid : members) {
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
      Thread.onSpinWait();
    }
  }

  /** Whether the kernel killed a member for going over the memory limit. */
  boolean memoryExceeded() {
    try {
      for (String line : Files.readAllLines(memory.resolve("memory.oom_control"))) {
        if (line.startsWith("oom_kill ") && !line.endsWith(" 0")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes both groups; call after {@link #killAll}. Best effort: an empty group is tiny. */
  void remove() {
    for (Path p : new Path[] {memory, pids}) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // Still busy: a member is exiting. Sandbox.detect sweeps stale groups on a later run.
      }
    }
  }

  private static void write(Path file, long value) throws IOException {
    Files.writeString(file, Long.toString(value));
  }
}
