package io.kallisto.load;

import io.kallisto.event.Dispatcher;
import io.kallisto.net.ByteStream;
import io.kallisto.net.Connection;
import io.kallisto.net.Transports;
import io.kallisto.net.StreamReceiver;

/**
 * How a load thread opens its connections to the server: over TCP for a real run
 * ({@link #tcp}), in memory for a simulated one.
 */
@FunctionalInterface
public interface LoadConnector {
  /**
   * Opens a connection on {@code dispatcher}'s loop, whose bytes and close go to
   * {@code receiver} on that loop. Loop-only. Must not call {@code receiver} before it returns.
   */
  ByteStream connect(Dispatcher dispatcher, StreamReceiver receiver);

  /**
   * TCP to 127.0.0.1:{@code port} through a {@link Connection} on the dispatcher's loop, on
   * whichever backend the dispatcher runs.
   */
  static LoadConnector tcp(int port) {
    return (dispatcher, receiver) -> new Connection(dispatcher,
        cb -> Transports.connect(dispatcher, port, cb), StreamReceiver.handler(receiver),
        LoadThread.CLIENT_CONFIG);
  }
}
