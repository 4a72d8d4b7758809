package io.kallisto.net;

/**
 * Receives each connection a {@link TcpListener} accepts, on the listener's loop thread. It
 * decides which dispatcher serves the connection (later: balancing across workers).
 */
@FunctionalInterface
public interface Acceptor {
  /**
   * Takes ownership of {@code fd}, a non-blocking, close-on-exec connected socket: the acceptor
   * must wrap it in a transport or close it. If this throws, the listener closes {@code fd}.
   */
  void onAccept(int fd);
}
