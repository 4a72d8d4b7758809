package io.kallisto.net;

import java.nio.ByteBuffer;

/** Sends back whatever arrives. Stateless: one instance may serve any number of connections. */
public final class EchoHandler implements ConnectionHandler {
  @Override
  public void onData(Connection connection, ByteBuffer data) {
    connection.send(data);
  }

  @Override
  public void onClosed(Connection connection, String reason) {}

  @Override
  public String traceName() {
    return "echo connection";
  }
}
