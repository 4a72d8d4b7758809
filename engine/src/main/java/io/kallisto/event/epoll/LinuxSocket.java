package io.kallisto.event.epoll;

import static io.kallisto.event.epoll.LinuxNative.O_CLOEXEC;
import static io.kallisto.event.epoll.LinuxNative.O_NONBLOCK;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.kallisto.event.NativeException;
import java.nio.ByteBuffer;

/**
 * The Linux socket system calls: IPv4 TCP on the loopback address, and Unix socket pairs. Every
 * socket is non-blocking and close-on-exec. Raw calls are private and bound like
 * {@link LinuxNative}'s (JNA direct mapping, addresses as {@code long}); each wrapper retries
 * {@code EINTR} where that is safe and throws {@link NativeException} naming the call and errno.
 *
 * <p>These are set-up paths (socket, bind, connect, options): each call that passes a struct
 * allocates a little {@link NativeMemory} and frees it before returning. Reading and writing a
 * connected socket is {@link LinuxNative#readNoThrow} and {@link LinuxNative#writeNoThrow}.
 */
public final class LinuxSocket {
  public static final int AF_UNIX = 1;
  public static final int AF_INET = 2;
  public static final int SOCK_STREAM = 1;
  public static final int SHUT_WR = 1;
  public static final int SOL_SOCKET = 1;
  public static final int SO_REUSEADDR = 2;
  public static final int SO_ERROR = 4;
  public static final int SO_SNDBUF = 7;
  public static final int SO_REUSEPORT = 15;
  public static final int IPPROTO_TCP = 6;
  public static final int TCP_NODELAY = 1;
  /** 127.0.0.1 as a host-order int. */
  public static final int LOOPBACK = 0x7f000001;

  static {
    if (LinuxNative.isAvailable()) { // else every call fails as an unbound native would
      Native.register(LinuxSocket.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }
  }

  private LinuxSocket() {}

  // ---- raw calls (direct mapping) ----------------------------------------------------------

  private static native int socket(int domain, int type, int protocol);

  private static native int socketpair(int domain, int type, int protocol, int[] fds);

  private static native int setsockopt(int fd, int level, int name, long value, int length);

  private static native int getsockopt(int fd, int level, int name, long value, long length);

  private static native int bind(int fd, long address, int length);

  private static native int listen(int fd, int backlog);

  private static native int accept4(int fd, long address, long length, int flags);

  private static native int connect(int fd, long address, int length);

  private static native int getsockname(int fd, long address, long length);

  private static native int shutdown(int fd, int how);

  // ---- checked wrappers --------------------------------------------------------------------

  /** {@code socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)}. */
  public static int tcpSocket() {
    int fd = socket(AF_INET, SOCK_STREAM | O_NONBLOCK | O_CLOEXEC, 0);
    if (fd < 0) {
      throw Errno.last("socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC)");
    }
    return fd;
  }

  /** {@code socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)}. */
  public static int[] socketPair() {
    int[] fds = new int[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | O_NONBLOCK | O_CLOEXEC, 0, fds) < 0) {
      throw Errno.last("socketpair(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC)");
    }
    return fds;
  }

  /** {@code shutdown(fd, how)}. */
  public static void shutdown(int fd, int how, String what) {
    if (shutdown(fd, how) < 0) {
      throw Errno.last("shutdown(" + what + ", fd=" + fd + ", how=" + how + ")");
    }
  }

  /** {@code setsockopt(fd, level, name, &value, 4)} for an int option. */
  public static void setIntOption(int fd, int level, int name, int value, String what) {
    try (NativeMemory v = NativeMemory.allocate(4, "an int socket option")) {
      v.buffer().putInt(0, value);
      if (setsockopt(fd, level, name, v.address(), 4) < 0) {
        throw Errno.last("setsockopt(" + what + ", fd=" + fd + ")");
      }
    }
  }

  /** The pending error of a socket ({@code SO_ERROR}), 0 if none; reading it clears it. */
  public static int socketError(int fd) {
    try (NativeMemory v = NativeMemory.allocate(8, "SO_ERROR and its length")) {
      long value = v.address();
      v.buffer().putInt(4, 4);
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, value, value + 4) < 0) {
        throw Errno.last("getsockopt(SO_ERROR, fd=" + fd + ")");
      }
      return v.buffer().getInt(0);
    }
  }

  /** {@code bind} to an IPv4 address (host order) and port; port 0 lets the kernel choose. */
  public static void bind(int fd, int address, int port) {
    try (NativeMemory a = sockaddr(address, port)) {
      if (bind(fd, a.address(), SockaddrInDescriptor.SIZE) < 0) {
        throw Errno.last("bind(fd=" + fd + ", " + ipv4(address) + ":" + port + ")");
      }
    }
  }

  /** {@code listen(fd, backlog)}. */
  public static void listen(int fd, int backlog, String what) {
    if (listen(fd, backlog) < 0) {
      throw Errno.last("listen(" + what + ", fd=" + fd + ")");
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
      int err = LinuxNative.errno();
      if (err == Errno.EAGAIN) {
        return -1;
      }
      // EINTR: retry. ECONNABORTED: the peer gave up before we accepted; try the next.
      if (err != Errno.EINTR && err != Errno.ECONNABORTED) {
        throw Errno.exception("accept4(fd=" + fd + ")", err);
      }
    }
  }

  /**
   * Starts a non-blocking {@code connect}. Returns true if it completed at once, false if it is
   * in progress (wait for the fd to become writable, then check {@link #socketError}).
   */
  public static boolean connect(int fd, int address, int port) {
    try (NativeMemory a = sockaddr(address, port)) {
      if (connect(fd, a.address(), SockaddrInDescriptor.SIZE) == 0) {
        return true;
      }
      int err = LinuxNative.errno();
      if (err == Errno.EINPROGRESS || err == Errno.EINTR) {
        return false;
      }
      throw Errno.exception("connect(fd=" + fd + ", " + ipv4(address) + ":" + port + ")", err);
    }
  }

  /** The local port a socket is bound to. */
  public static int localPort(int fd) {
    try (NativeMemory a = NativeMemory.allocate(SockaddrInDescriptor.SIZE + 4,
        "getsockname's sockaddr_in and its length")) {
      long address = a.address();
      ByteBuffer b = a.buffer();
      b.putInt(SockaddrInDescriptor.SIZE, SockaddrInDescriptor.SIZE);
      if (getsockname(fd, address, address + SockaddrInDescriptor.SIZE) < 0) {
        throw Errno.last("getsockname(fd=" + fd + ")");
      }
      return (b.get(SockaddrInDescriptor.PORT_OFFSET) & 0xff) << 8
          | (b.get(SockaddrInDescriptor.PORT_OFFSET + 1) & 0xff);
    }
  }

  /** Dotted form of a host-order IPv4 address. */
  public static String ipv4(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "."
        + (address & 0xff);
  }

  private static NativeMemory sockaddr(int address, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port=" + port + " is out of range 0..65535");
    }
    NativeMemory a = NativeMemory.allocate(SockaddrInDescriptor.SIZE, "a sockaddr_in");
    ByteBuffer b = a.buffer();
    b.putShort(SockaddrInDescriptor.FAMILY_OFFSET, (short) AF_INET);
    // Port and address in network (big-endian) order, byte by byte whatever the CPU's order.
    b.put(SockaddrInDescriptor.PORT_OFFSET, (byte) (port >>> 8));
    b.put(SockaddrInDescriptor.PORT_OFFSET + 1, (byte) port);
    for (int i = 0; i < 4; i++) {
      b.put(SockaddrInDescriptor.ADDRESS_OFFSET + i, (byte) (address >>> (24 - 8 * i)));
    }
    return a;
  }
}
