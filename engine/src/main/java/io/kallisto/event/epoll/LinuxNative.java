package io.kallisto.event.epoll;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.kallisto.event.NativeException;
import java.nio.file.Path;

/**
 * Every Linux system call Kallisto makes, and nothing else.
 *
 * <p>Calls go through JNA direct mapping ({@link Native#register}) with primitive arguments only:
 * pointers travel as {@code long} addresses, so no call allocates a Java object or marshals a
 * {@code Structure}. Each raw {@code native} method has a checking wrapper that retries
 * {@code EINTR} and throws {@link NativeException} naming the call and errno. The raw methods are
 * private; the few callers that must see an errno without an exception (a non-blocking read that
 * would block) use the {@code *NoThrow} variants and {@link #errno()}.
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

  public static final int AF_UNIX = 1;
  public static final int AF_INET = 2;
  public static final int SOCK_STREAM = 1;
  public static final int SHUT_WR = 1;
  public static final int SOL_SOCKET = 1;
  public static final int SO_REUSEADDR = 2;
  public static final int SO_SNDBUF = 7;
  public static final int SO_ERROR = 4;
  public static final int SO_REUSEPORT = 15;
  public static final int IPPROTO_TCP = 6;
  public static final int TCP_NODELAY = 1;
  /** 127.0.0.1 as a host-order int. */
  public static final int LOOPBACK = 0x7f000001;

  public static final int EINTR = 4;
  public static final int EAGAIN = 11;
  public static final int EBADF = 9;
  public static final int EINPROGRESS = 115;

  private static final boolean AVAILABLE;
  private static final String UNAVAILABLE_REASON;

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

  private static native int socketpair(int domain, int type, int protocol, int[] fds);

  private static native int shutdown(int fd, int how);

  private static native int getpid();

  private static native int setpriority(int which, int who, int prio);

  private static native int kill(int pid, int sig);

  private static native int socket(int domain, int type, int protocol);

  private static native int setsockopt(int fd, int level, int name, long value, int length);

  private static native int getsockopt(int fd, int level, int name, long value, long length);

  private static native int bind(int fd, long address, int length);

  private static native int listen(int fd, int backlog);

  private static native int accept4(int fd, long address, long length, int flags);

  private static native int connect(int fd, long address, int length);

  private static native int getsockname(int fd, long address, long length);

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
      if (err != EINTR) {
        throw new NativeException("epoll_wait(epfd=" + epfd + ")", err, errnoName(err));
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
      if (n >= 0 || errno() != EINTR) {
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
      if (n >= 0 || errno() != EINTR) {
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
      if (err != EINTR) {
        throw new NativeException("close(" + what + ", fd=" + fd + ")", err, errnoName(err));
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

  /** {@code socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)}. */
  public static int[] socketPair() {
    int[] fds = new int[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | O_NONBLOCK | O_CLOEXEC, 0, fds) < 0) {
      throw failure("socketpair(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC)");
    }
    return fds;
  }

  /** {@code shutdown(fd, how)}. */
  public static void shutdown(int fd, int how, String what) {
    if (shutdown(fd, how) < 0) {
      throw failure("shutdown(" + what + ", fd=" + fd + ", how=" + how + ")");
    }
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
      int err = errno();
      throw new NativeException("setpriority(PRIO_PROCESS, tid=" + tid + ", 19)", err,
          errnoName(err));
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
      int err = errno();
      throw new NativeException("kill(getpid(), " + sig + ")", err, errnoName(err));
    }
  }

  // ---- TCP sockets (set-up paths: they allocate a little scratch memory per call) ----------

  /** {@code socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)}. */
  public static int tcpSocket() {
    int fd = socket(AF_INET, SOCK_STREAM | O_NONBLOCK | O_CLOEXEC, 0);
    if (fd < 0) {
      throw failure("socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC)");
    }
    return fd;
  }

  /** {@code setsockopt(fd, level, name, &value, 4)} for an int option. */
  public static void setIntOption(int fd, int level, int name, int value, String what) {
    try (com.sun.jna.Memory v = new com.sun.jna.Memory(4)) {
      v.setInt(0, value);
      if (setsockopt(fd, level, name, com.sun.jna.Pointer.nativeValue(v), 4) < 0) {
        throw failure("setsockopt(" + what + ", fd=" + fd + ")");
      }
    }
  }

  /** The pending error of a socket ({@code SO_ERROR}), 0 if none; reading it clears it. */
  public static int socketError(int fd) {
    try (com.sun.jna.Memory v = new com.sun.jna.Memory(8)) {
      long value = com.sun.jna.Pointer.nativeValue(v);
      v.setInt(4, 4);
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, value, value + 4) < 0) {
        throw failure("getsockopt(SO_ERROR, fd=" + fd + ")");
      }
      return v.getInt(0);
    }
  }

  /** {@code bind} to an IPv4 address (host order) and port; port 0 lets the kernel choose. */
  public static void bind(int fd, int address, int port) {
    try (com.sun.jna.Memory a = sockaddr(address, port)) {
      if (bind(fd, com.sun.jna.Pointer.nativeValue(a), SockaddrInDescriptor.SIZE) < 0) {
        throw failure("bind(fd=" + fd + ", " + ipv4(address) + ":" + port + ")");
      }
    }
  }

  /** {@code listen(fd, backlog)}. */
  public static void listen(int fd, int backlog, String what) {
    if (listen(fd, backlog) < 0) {
      throw failure("listen(" + what + ", fd=" + fd + ")");
    }
  }

  /**
   * {@code accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)}: a new connection's fd, or -1
   * when none is waiting ({@code EAGAIN}).
   */
  public static int accept(int fd) {
    while (true) {
      int c = accept4(fd, 0L, 0L, O_NONBLOCK | O_CLOEXEC);
      if (c >= 0) {
        return c;
      }
      int err = errno();
      if (err == EAGAIN) {
        return -1;
      }
      if (err != EINTR && err != 103 /* ECONNABORTED: the peer gave up; try the next */) {
        throw new NativeException("accept4(fd=" + fd + ")", err, errnoName(err));
      }
    }
  }

  /**
   * Starts a non-blocking {@code connect}. Returns true if it completed at once, false if it is
   * in progress (wait for the fd to become writable, then check {@link #socketError}).
   */
  public static boolean connect(int fd, int address, int port) {
    try (com.sun.jna.Memory a = sockaddr(address, port)) {
      if (connect(fd, com.sun.jna.Pointer.nativeValue(a), SockaddrInDescriptor.SIZE) == 0) {
        return true;
      }
      int err = errno();
      if (err == EINPROGRESS || err == EINTR) {
        return false;
      }
      throw new NativeException("connect(fd=" + fd + ", " + ipv4(address) + ":" + port + ")",
          err, errnoName(err));
    }
  }

  /** The local port a socket is bound to. */
  public static int localPort(int fd) {
    try (com.sun.jna.Memory a = new com.sun.jna.Memory(SockaddrInDescriptor.SIZE + 4)) {
      long address = com.sun.jna.Pointer.nativeValue(a);
      a.setInt(SockaddrInDescriptor.SIZE, SockaddrInDescriptor.SIZE);
      if (getsockname(fd, address, address + SockaddrInDescriptor.SIZE) < 0) {
        throw failure("getsockname(fd=" + fd + ")");
      }
      return (a.getByte(SockaddrInDescriptor.PORT_OFFSET) & 0xff) << 8
          | (a.getByte(SockaddrInDescriptor.PORT_OFFSET + 1) & 0xff);
    }
  }

  private static com.sun.jna.Memory sockaddr(int address, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port=" + port + " is out of range 0..65535");
    }
    com.sun.jna.Memory a = new com.sun.jna.Memory(SockaddrInDescriptor.SIZE);
    a.clear();
    a.setShort(SockaddrInDescriptor.FAMILY_OFFSET, (short) AF_INET);
    // Port and address in network (big-endian) order, byte by byte whatever the CPU's order.
    a.setByte(SockaddrInDescriptor.PORT_OFFSET, (byte) (port >>> 8));
    a.setByte(SockaddrInDescriptor.PORT_OFFSET + 1, (byte) port);
    for (int i = 0; i < 4; i++) {
      a.setByte(SockaddrInDescriptor.ADDRESS_OFFSET + i, (byte) (address >>> (24 - 8 * i)));
    }
    return a;
  }

  /** Dotted form of a host-order IPv4 address. */
  public static String ipv4(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "."
        + (address & 0xff);
  }

  // ---- errors ------------------------------------------------------------------------------

  private static NativeException failure(String call) {
    int err = errno();
    return new NativeException(call, err, errnoName(err));
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

  /** The symbolic name of the errno values the engine can meet; others print as a number. */
  public static String errnoName(int errno) {
    switch (errno) {
      case 1: return "EPERM";
      case 2: return "ENOENT";
      case EINTR: return "EINTR";
      case 5: return "EIO";
      case EBADF: return "EBADF";
      case EAGAIN: return "EAGAIN";
      case 12: return "ENOMEM";
      case 13: return "EACCES";
      case 14: return "EFAULT";
      case 17: return "EEXIST";
      case 22: return "EINVAL";
      case 23: return "ENFILE";
      case 24: return "EMFILE";
      case 28: return "ENOSPC";
      case 32: return "EPIPE";
      case 38: return "ENOSYS";
      case 95: return "EOPNOTSUPP";
      case 98: return "EADDRINUSE";
      case 104: return "ECONNRESET";
      case 107: return "ENOTCONN";
      case 110: return "ETIMEDOUT";
      case 111: return "ECONNREFUSED";
      case 115: return "EINPROGRESS";
      default: return "errno " + errno;
    }
  }
}
