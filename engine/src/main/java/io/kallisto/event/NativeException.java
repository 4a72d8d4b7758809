package io.kallisto.event;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A system call failed. The message names the call, its arguments where they help, and the errno
 * with its symbolic name, for example {@code "epoll_ctl(ADD, fd=7) failed: errno 9 (EBADF)"}.
 *
 * <p>Unchecked on purpose: callbacks and method references stay clean, and no public API of the
 * engine declares a checked exception.
 */
public final class NativeException extends UncheckedIOException {
  private final String call;
  private final int errno;

  /**
   * @param call the system call and, where useful, its arguments
   * @param errno the errno the call left behind
   * @param errnoName the symbolic name of {@code errno}, such as {@code "EBADF"}
   */
  public NativeException(String call, int errno, String errnoName) {
    super(new IOException(call + " failed: errno " + errno + " (" + errnoName + ")"));
    this.call = call;
    this.errno = errno;
  }

  /** The system call that failed, with the arguments the message names. */
  public String call() {
    return call;
  }

  /** The errno the call left behind. */
  public int errno() {
    return errno;
  }

  @Override
  public String getMessage() {
    return getCause().getMessage();
  }
}
