package io.kallisto.bench;

import io.kallisto.event.Dispatcher;
import io.kallisto.net.Connection;
import io.kallisto.net.ConnectionHandler;
import io.kallisto.net.EchoHandler;
import io.kallisto.net.EpollTransport;
import io.kallisto.net.TcpListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Kallisto's echo peer: the server is one {@code EpollDispatcher} thread with a
 * {@link TcpListener} and an {@link EchoHandler} per accepted connection; the client is another
 * with {@value EchoPeer#CONNECTIONS} {@link Connection}s.
 */
final class KallistoEcho extends EchoPeer {
  private final KallistoLoop server = new KallistoLoop("echo-server");
  private final KallistoLoop client;
  private TcpListener listener; // server loop only
  private final List<Connection> accepted = new ArrayList<>(); // server loop only
  private boolean closing; // client loop only

  /** The engine's echo server. */
  KallistoEcho() {
    this(new EchoHandler());
  }

  /** A server whose connections use {@code serverHandler}, for tests of the checking client. */
  KallistoEcho(ConnectionHandler serverHandler) {
    super(Loops.KALLISTO);
    KallistoLoop c = null;
    boolean success = false;
    try {
      c = new KallistoLoop("echo-client");
      client = c;
      Dispatcher sd = server.dispatcher();
      int[] port = new int[1];
      Await.onLoop(server, () -> {
        listener = TcpListener.open(sd, 0, false, fd -> accepted.add(
            new Connection(sd, cb -> EpollTransport.accepted(sd, fd, cb), serverHandler)));
        port[0] = listener.port();
      }, "open the echo listener");
      Dispatcher cd = client.dispatcher();
      Await.onLoop(client, () -> {
        for (int i = 0; i < CONNECTIONS; i++) {
          Client x = new Client(i);
          x.connection = new Connection(cd, cb -> EpollTransport.connect(cd, port[0], cb), x);
          exchanges.add(x);
        }
      }, "connect " + CONNECTIONS + " echo clients");
      success = true;
    } finally {
      if (!success) {
        closeLoops(c);
      }
    }
  }

  @Override
  protected void onClientLoop(Runnable task) {
    client.execute(task);
  }

  @Override
  public void close() {
    try {
      Await.onLoop(client, () -> {
        closing = true;
        for (EchoExchange e : exchanges) {
          ((Client) e).connection.close();
        }
      }, "close the echo clients");
      Await.onLoop(server, () -> {
        accepted.forEach(Connection::close);
        listener.close();
      }, "close the echo server");
    } finally {
      closeLoops(client);
    }
  }

  private void closeLoops(KallistoLoop c) {
    try {
      if (c != null) {
        c.close();
      }
    } finally {
      server.close();
    }
  }

  /** One client connection; {@code send} copies the message, so the array can be reused. */
  private final class Client extends EchoExchange implements ConnectionHandler {
    private ByteBuffer out; // wraps the exchange's message array, made on the first send
    Connection connection;

    Client(int index) {
      super(index, KallistoEcho.this.rounds);
    }

    @Override
    protected void write(byte[] message) {
      if (out == null) {
        out = ByteBuffer.wrap(message);
      }
      out.clear();
      connection.send(out);
    }

    // ConnectionHandler

    @Override
    public void onData(Connection c, ByteBuffer data) {
      onEchoed(data);
    }

    @Override
    public void onClosed(Connection c, String reason) {
      onClosed(reason, closing);
    }
  }
}
