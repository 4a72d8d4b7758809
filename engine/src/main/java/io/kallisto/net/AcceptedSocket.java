package io.kallisto.net;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.FileReadyCallback;

/**
 * A connection a {@link Listener} accepted and has not yet given to a loop. It may cross threads
 * (a single acceptor posts it to a worker), and must end either opened or closed.
 */
public interface AcceptedSocket {
  /**
   * Opens the transport on {@code dispatcher}'s loop, which from now on owns the socket.
   * Loop-only on {@code dispatcher}; call at most once.
   */
  Transport open(Dispatcher dispatcher, FileReadyCallback onReady);

  /** Closes the socket unopened (refused, or nobody could take it). Idempotent. */
  void close();
}
