package io.kallisto.event.epoll;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.kallisto.event.NativeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The Linux system calls of the loop and its threads: epoll, eventfd, timerfd, read, write,
 * close, pipes, and the few process calls. Socket calls live in {@link LinuxSocket}, native
 * memory in {@link NativeMemory} and {@link EpollEventArray}, errno names in {@link Errno}.
 *
 * <p>Calls go through JNA direct mapping ({@link Native#register}) with primitive arguments only:
 * pointers travel as {@code long} addresses, so no call allocates a Java object or marshals a
 * {@code Structure}. Each raw {@code native} method has a checking wrapper that retries
 * {@code EINTR} and throws {@link NativeException} naming the call and errno ({@link Errno}).
 * The raw methods are private; the few callers that must see an errno without an exception (a
 * non-blocking read that would block) use the {@code *NoThrow} variants and {@link #errno()}.
 *
 * <p>Constants are the generic Linux values, shared by x86-64 and aarch64. The layout of
 * {@code struct epoll_event}, which is not shared, lives in {@link EpollEventDescriptor}.
 */
public final class LinuxNative {
  // epoll(7)
  public static final int EPOLLIN = 0x001;
  public static final int EPOLLOUT = 0x004;
  public static final int EPOLLERR = 0x008;
  public static final int EPOLLHUP = 0x010;
  public static final int EPOLLRDHUP = 0x2000;
  public static final int EPOLLET = 1 << 31;
  public static final int EPOLL_CTL_ADD = 1;
  public static final int EPOLL_CTL_DEL = 2;
  public static final int EPOLL_CTL_MOD = 3;

  // open(2) flags, which eventfd, timerfd, pipe2 and socket reuse bit for bit.
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;

  public static final int CLOCK_MONOTONIC = 1;
  public static final int TFD_TIMER_ABSTIME = 1;

  /**
   * Bytes of scratch memory the struct-taking wrappers below need: one {@code epoll_event} or
   * one {@code itimerspec}, never both at once.
   */
  public static final int SCRATCH_SIZE = Math.max(EpollEventDescriptor.SIZE,
      TimerSpecDescriptor.SIZE);

  private static final boolean AVAILABLE;
  private static final String UNAVAILABLE_REASON;
  /** The 8-byte 1 every eventfd wakeup writes: shared, read-only, for the life of the process. */
  private static final NativeMemory ONE;

  static {
    boolean ok = false;
    String reason = null;
    if (!Platform.isLinux()) {
      reason = "epoll needs Linux, but this is os.name=" + System.getProperty("os.name");
    } else {
      try {
        Native.register(LinuxNative.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        ok = true;
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        reason = "could not bind libc through JNA: " + e.getMessage();
      }
    }
    AVAILABLE = ok;
    UNAVAILABLE_REASON = reason;
    ONE = ok ? NativeMemory.allocate(8, "the eventfd increment") : null;
    if (ONE != null) {
      ONE.buffer().putLong(0, 1L);
    }
  }

  private LinuxNative() {}

  /** True when the calls in this class can be made on this machine. */
  public static boolean isAvailable() {
    return AVAILABLE;
  }

  /**
   * Throws {@link UnsupportedOperationException} saying why epoll cannot be used here, if it
   * cannot.
   */
  public static void ensureAvailable() {
    if (!AVAILABLE) {
      throw new UnsupportedOperationException(
          "the epoll backend is unavailable: " + UNAVAILABLE_REASON);
    }
  }

  // ---- raw calls (direct mapping) ----------------------------------------------------------

  private static native int epoll_create1(int flags);

  private static native int epoll_ctl(int epfd, int op, int fd, long event);

  private static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

  private static native int eventfd(int initval, int flags);

  private static native int timerfd_create(int clockId, int flags);

  private static native int timerfd_settime(int fd, int flags, long newValue, long oldValue);

  private static native long read(int fd, long buf, long count);

  private static native long write(int fd, long buf, long count);

  private static native int close(int fd);

  private static native int pipe2(int[] fds, int flags);

  private static native int getpid();

  private static native int setpriority(int which, int who, int prio);

  private static native int kill(int pid, int sig);

  // ---- checked wrappers --------------------------------------------------------------------

  /** The errno of the last call made on this thread. */
  public static int errno() {
    return Native.getLastError();
  }

  /** {@code epoll_create1(EPOLL_CLOEXEC)}. */
  public static int epollCreate() {
    int fd = epoll_create1(O_CLOEXEC);
    if (fd < 0) {
      throw failure("epoll_create1(EPOLL_CLOEXEC)");
    }
    return fd;
  }

  /**
   * {@code epoll_ctl(epfd, op, fd, event)} with {@code event} written into the scratch record at
   * {@code eventAddress} ({@link EpollEventDescriptor#SIZE} bytes).
   */
  public static void epollCtl(int epfd, int op, int fd, long eventAddress) {
    if (epoll_ctl(epfd, op, fd, eventAddress) < 0) {
      throw failure("epoll_ctl(" + ctlName(op) + ", epfd=" + epfd + ", fd=" + fd + ")");
    }
  }

  /**
   * {@code epoll_ctl(epfd, op, fd, {mask, fd})}: the event record is written into
   * {@code scratch} ({@link #SCRATCH_SIZE} bytes at least), with the fd as its data.
   */
  public static void epollCtl(int epfd, int op, int fd, int mask, NativeMemory scratch) {
    ByteBuffer record = scratch.buffer();
    record.putInt(EpollEventDescriptor.EVENTS_OFFSET, mask);
    record.putLong(EpollEventDescriptor.DATA_OFFSET, fd & 0xffffffffL);
    epollCtl(epfd, op, fd, scratch.address());
  }

  /**
   * {@code epoll_wait} into {@code events}, all of its length, retried on {@code EINTR}. Returns
   * the number of ready records.
   */
  public static int epollWait(int epfd, EpollEventArray events, int timeoutMillis) {
    return epollWait(epfd, events.address(), events.length(), timeoutMillis);
  }

  /**
   * {@code epoll_wait}, retried on {@code EINTR}. Returns the number of ready events written to
   * {@code eventsAddress}.
   */
  public static int epollWait(int epfd, long eventsAddress, int maxEvents, int timeoutMillis) {
    while (true) {
      int n = epoll_wait(epfd, eventsAddress, maxEvents, timeoutMillis);
      if (n >= 0) {
        return n;
      }
      int err = errno();
      if (err != Errno.EINTR) {
        throw Errno.exception("epoll_wait(epfd=" + epfd + ")", err);
      }
      // EINTR: a signal arrived; waiting again is what the caller asked for.
    }
  }

  /** {@code eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)}. */
  public static int eventfdCreate() {
    int fd = eventfd(0, O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      throw failure("eventfd(0, EFD_NONBLOCK|EFD_CLOEXEC)");
    }
    return fd;
  }

  /** {@code timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)}. */
  public static int timerfdCreate() {
    int fd = timerfd_create(CLOCK_MONOTONIC, O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      throw failure("timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK|TFD_CLOEXEC)");
    }
    return fd;
  }

  /**
   * {@code timerfd_settime(fd, flags, spec, NULL)} with an {@code itimerspec} already written at
   * {@code specAddress} (see {@link TimerSpecDescriptor}).
   */
  public static void timerfdSettime(int fd, int flags, long specAddress) {
    if (timerfd_settime(fd, flags, specAddress, 0L) < 0) {
      throw failure("timerfd_settime(fd=" + fd + ")");
    }
  }

  /**
   * Arms {@code fd}, a timerfd on {@code CLOCK_MONOTONIC}, to expire once at the absolute
   * {@code deadlineNanos} ({@code TFD_TIMER_ABSTIME}); the {@code itimerspec} is written into
   * {@code scratch} ({@link #SCRATCH_SIZE} bytes at least).
   */
  public static void timerfdSetAbsolute(int fd, long deadlineNanos, NativeMemory scratch) {
    ByteBuffer spec = scratch.buffer();
    spec.putLong(TimerSpecDescriptor.INTERVAL_SEC_OFFSET, 0);
    spec.putLong(TimerSpecDescriptor.INTERVAL_NSEC_OFFSET, 0);
    spec.putLong(TimerSpecDescriptor.VALUE_SEC_OFFSET, deadlineNanos / 1_000_000_000L);
    spec.putLong(TimerSpecDescriptor.VALUE_NSEC_OFFSET, deadlineNanos % 1_000_000_000L);
    timerfdSettime(fd, TFD_TIMER_ABSTIME, scratch.address());
  }

  /**
   * Adds 1 to eventfd {@code fd}'s counter, waking whoever waits on it. {@code EAGAIN} (the
   * counter is saturated) is not an error: the waiter is certainly going to wake. Safe from any
   * thread; allocates nothing.
   */
  public static void eventfdIncrement(int fd) {
    if (writeNoThrow(fd, ONE.address(), 8) < 0) {
      int err = errno();
      if (err != Errno.EAGAIN) {
        throw Errno.exception("write(eventfd, fd=" + fd + ")", err);
      }
    }
  }

  /** {@code read}, retried on {@code EINTR}; throws on any other error, EAGAIN included. */
  public static long read(int fd, long address, long count, String what) {
    long n = readNoThrow(fd, address, count);
    if (n < 0) {
      throw failure("read(" + what + ", fd=" + fd + ")");
    }
    return n;
  }

  /**
   * {@code read}, retried on {@code EINTR}. Returns -1 with {@link #errno()} set instead of
   * throwing, so that a non-blocking reader can treat {@code EAGAIN} as "nothing yet" without an
   * exception on its hot path.
   */
  public static long readNoThrow(int fd, long address, long count) {
    while (true) {
      long n = read(fd, address, count);
      if (n >= 0 || errno() != Errno.EINTR) {
        return n;
      }
    }
  }

  /** {@code write}, retried on {@code EINTR}; throws on any other error, EAGAIN included. */
  public static long write(int fd, long address, long count, String what) {
    long n = writeNoThrow(fd, address, count);
    if (n < 0) {
      throw failure("write(" + what + ", fd=" + fd + ")");
    }
    return n;
  }

  /** {@code write}, retried on {@code EINTR}; returns -1 with {@link #errno()} set on failure. */
  public static long writeNoThrow(int fd, long address, long count) {
    while (true) {
      long n = write(fd, address, count);
      if (n >= 0 || errno() != Errno.EINTR) {
        return n;
      }
    }
  }

  /**
   * {@code close(fd)}. EINTR is not retried: on Linux the descriptor is released even then, and a
   * retry could close a descriptor another thread has just been given.
   */
  public static void close(int fd, String what) {
    if (close(fd) < 0) {
      int err = errno();
      if (err != Errno.EINTR) {
        throw Errno.exception("close(" + what + ", fd=" + fd + ")", err);
      }
    }
  }

  /** {@code pipe2(fds, O_NONBLOCK | O_CLOEXEC)}; returns {read end, write end}. */
  public static int[] pipe() {
    int[] fds = new int[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
      throw failure("pipe2(O_NONBLOCK|O_CLOEXEC)");
    }
    return fds;
  }

  /** {@code getpid()}: the cheapest real system call, used to measure the cost of a crossing. */
  public static int pid() {
    return getpid();
  }

  /** {@code PRIO_PROCESS} for setpriority(2): on Linux, {@code who} may name one thread. */
  private static final int PRIO_PROCESS = 0;
  /** The lowest priority, the nice value an unprivileged thread may always move to. */
  public static final int LOWEST_PRIORITY = 19;

  /**
   * The kernel's id of the calling thread (its tid, as {@code gettid(2)} returns it), read from
   * {@code /proc/thread-self} (proc(5)) so that no C library version matters; -1 where there is
   * none.
   */
  public static int currentThreadId() {
    try {
      Path self = java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self"));
      return Integer.parseInt(self.getFileName().toString()); // "<pid>/task/<tid>"
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * {@code setpriority(PRIO_PROCESS, tid, 19)}: gives thread {@code tid} the lowest priority, so
   * that the scheduler runs every other thread first. On Linux nice values are per thread
   * (setpriority(2), NOTES), and an unprivileged process may always raise one.
   *
   * @throws NativeException if the call fails, naming errno
   */
  public static void lowestPriority(int tid) {
    if (setpriority(PRIO_PROCESS, tid, LOWEST_PRIORITY) < 0) {
      throw failure("setpriority(PRIO_PROCESS, tid=" + tid + ", 19)");
    }
  }

  /**
   * {@code kill(getpid(), sig)}: sends this process signal {@code sig}. With the signal's default
   * action in place, the kernel ends the process at once, as killed by it.
   *
   * @throws NativeException if the call fails, naming errno
   */
  public static void killSelf(int sig) {
    if (kill(getpid(), sig) < 0) {
      throw failure("kill(getpid(), " + sig + ")");
    }
  }

  // ---- errors ------------------------------------------------------------------------------

  private static NativeException failure(String call) {
    return Errno.last(call);
  }

  private static String ctlName(int op) {
    switch (op) {
      case EPOLL_CTL_ADD:
        return "ADD";
      case EPOLL_CTL_DEL:
        return "DEL";
      case EPOLL_CTL_MOD:
        return "MOD";
      default:
        return "op=" + op;
    }
  }
}
