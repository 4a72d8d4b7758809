package io.kallisto.event.epoll;

import io.kallisto.event.NativeException;

/**
 * The errno values the engine tests for or names, and the one place an errno becomes a
 * {@link NativeException}. Values are the generic Linux ones (asm-generic/errno-base.h and
 * asm-generic/errno.h), shared by x86-64 and aarch64.
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EEXIST = 17;
  public static final int EINVAL = 22;
  public static final int ENFILE = 23;
  public static final int EMFILE = 24;
  public static final int ENOSPC = 28;
  public static final int EPIPE = 32;
  public static final int ENOSYS = 38;
  public static final int EOPNOTSUPP = 95;
  public static final int EADDRINUSE = 98;
  public static final int ECONNABORTED = 103;
  public static final int ECONNRESET = 104;
  public static final int ENOTCONN = 107;
  public static final int ETIMEDOUT = 110;
  public static final int ECONNREFUSED = 111;
  public static final int EINPROGRESS = 115;

  private Errno() {}

  /** The exception for {@code call} having failed with {@code errno}. */
  public static NativeException exception(String call, int errno) {
    return new NativeException(call, errno, name(errno));
  }

  /** The exception for {@code call} having failed with the calling thread's last errno. */
  public static NativeException last(String call) {
    return exception(call, LinuxNative.errno());
  }

  /** The symbolic name of the errno values above; others print as a number. */
  public static String name(int errno) {
    switch (errno) {
      case EPERM: return "EPERM";
      case ENOENT: return "ENOENT";
      case EINTR: return "EINTR";
      case EIO: return "EIO";
      case EBADF: return "EBADF";
      case EAGAIN: return "EAGAIN";
      case ENOMEM: return "ENOMEM";
      case EACCES: return "EACCES";
      case EFAULT: return "EFAULT";
      case EEXIST: return "EEXIST";
      case EINVAL: return "EINVAL";
      case ENFILE: return "ENFILE";
      case EMFILE: return "EMFILE";
      case ENOSPC: return "ENOSPC";
      case EPIPE: return "EPIPE";
      case ENOSYS: return "ENOSYS";
      case EOPNOTSUPP: return "EOPNOTSUPP";
      case EADDRINUSE: return "EADDRINUSE";
      case ECONNABORTED: return "ECONNABORTED";
      case ECONNRESET: return "ECONNRESET";
      case ENOTCONN: return "ENOTCONN";
      case ETIMEDOUT: return "ETIMEDOUT";
      case ECONNREFUSED: return "ECONNREFUSED";
      case EINPROGRESS: return "EINPROGRESS";
      default: return "errno " + errno;
    }
  }
}
