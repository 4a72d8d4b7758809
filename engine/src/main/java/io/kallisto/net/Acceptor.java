package io.kallisto.net;

/**
 * Receives each connection a {@link TcpListener} accepts, on the listener's loop thread. It
 * decides which dispatcher serves the connection (later: balancing across workers).
 */
@FunctionalInterface
public interface Acceptor {
  /**
   * Takes ownership of {@code fd}, a non-blocking, close-on-exec connected socket: the acceptor
   * must wrap it in a transport or close it, even when it throws (the listener cannot know
   * whether a transport already took the fd, and closing it twice could close a stranger).
   */
  void onAccept(int fd);
}
