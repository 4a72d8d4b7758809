package io.kallisto.net;

/**
 * A TCP listener on 127.0.0.1, accepting on one dispatcher's loop. Made by
 * {@link Transports#listen}, on whichever backend that dispatcher runs.
 */
public interface Listener extends AutoCloseable {
  /** The port bound, the kernel's choice when 0 was asked for. Safe from any thread. */
  int port();

  /** Stops accepting and closes the listening socket. Loop-only. Idempotent. */
  @Override
  void close();
}
