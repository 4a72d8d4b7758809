package io.kallisto.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The write system calls the calling thread has made, as the kernel counts them in
 * {@code /proc/thread-self/io} ({@code syscw}). Every peer wakes its loop with a write (an
 * eventfd write on epoll, {@code Selector.wakeup()}'s write on NIO), so counting the posting
 * threads' writes measures wakeups the same way for all of them, Netty included, without
 * trusting anyone's own counter.
 */
final class ThreadSyscalls {
  private static final Path IO = Path.of("/proc/thread-self/io");

  private ThreadSyscalls() {}

  /** The calling thread's write syscalls so far, or -1 where the kernel does not say. */
  static long writes() {
    try {
      for (String line : Files.readAllLines(IO, StandardCharsets.US_ASCII)) {
        if (line.startsWith("syscw:")) {
          return Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1; // no task I/O accounting on this kernel
    }
    return -1;
  }
}
