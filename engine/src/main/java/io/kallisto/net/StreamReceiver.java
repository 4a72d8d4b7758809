package io.kallisto.net;

import java.nio.ByteBuffer;

/**
 * What a {@link ByteStream}'s owner is told, on the stream's loop: bytes arrived, or the stream
 * closed. The transport-neutral part of {@link ConnectionHandler}; {@link #handler} adapts one to
 * a {@link Connection}.
 */
public interface StreamReceiver {
  /** Bytes arrived; {@code data} is valid only during this call. */
  void onData(ByteBuffer data);

  /** The stream closed, exactly once, for {@code reason}. */
  void onClosed(String reason);

  /** What the stream's readiness callback is called in traces; see ConnectionHandler. */
  default String traceName() {
    return "connection";
  }

  /** A {@link ConnectionHandler} that passes a connection's data and close to {@code r}. */
  static ConnectionHandler handler(StreamReceiver r) {
    return new ConnectionHandler() {
      @Override
      public void onData(Connection connection, ByteBuffer data) {
        r.onData(data);
      }

      @Override
      public void onClosed(Connection connection, String reason) {
        r.onClosed(reason);
      }

      @Override
      public String traceName() {
        return r.traceName();
      }
    };
  }
}
