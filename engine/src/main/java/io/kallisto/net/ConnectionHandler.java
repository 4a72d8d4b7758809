package io.kallisto.net;

import java.nio.ByteBuffer;

/** What a {@link Connection} reports. Every method runs on the connection's loop thread. */
public interface ConnectionHandler {
  /**
   * Bytes arrived. {@code data} is the connection's own read buffer, valid only during this call:
   * consume or copy it (as {@link Connection#send} does) before returning.
   */
  void onData(Connection connection, ByteBuffer data);

  /**
   * The connection closed, exactly once, for {@code reason} (for example {@code "peer closed"},
   * {@code "closed locally"} or the failed system call). May run inside a call such as
   * {@link Connection#send}.
   */
  void onClosed(Connection connection, String reason);

  /**
   * More than the high watermark waits to be written, so the connection stopped reading. Named
   * after Envoy's {@code ConnectionCallbacks::onAboveWriteBufferHighWatermark}
   * (envoy/network/connection.h), where the subscriber, not the connection, decides to stop
   * reading.
   */
  default void onAboveHighWatermark(Connection connection) {}

  /**
   * The bytes waiting to be written fell to the low watermark, so the connection reads again.
   * Named after Envoy's {@code ConnectionCallbacks::onBelowWriteBufferLowWatermark}.
   */
  default void onBelowLowWatermark(Connection connection) {}

  /**
   * What the connection's readiness callback is called in traces, by what it serves: "echo
   * connection", "server connection". Asked once, when the connection is made.
   */
  default String traceName() {
    return "connection";
  }
}
