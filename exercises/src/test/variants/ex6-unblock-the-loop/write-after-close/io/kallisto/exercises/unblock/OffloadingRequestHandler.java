package io.kallisto.exercises.unblock;

import io.kallisto.net.Connection;
import io.kallisto.net.ConnectionHandler;
import io.kallisto.net.FrameAssembler;
import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.net.WorkerCounters;
import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;

/**
 * BUG (write after close): the outcome is sent without asking whether the connection closed
 * while the backend worked.
 *
 * The service, unblocked: serves the request protocol ({@link RequestFrameDescriptor}) on one
 * connection's loop without ever waiting on that loop. An ECHO is answered at once; the
 * {@link Backend} work of a CPU or SLEEP request runs on the {@link Offloader}'s threads, and its
 * response is sent when the outcome is posted back to the loop.
 *
 * <p><b>Protocol.</b> Responses may leave in another order than their requests (an ECHO overtakes
 * a SLEEP sent before it on the same connection); clients match them by request id. A request
 * the offloader refuses (it is full) is answered at once, unserved, with {@link #FLAG_BUSY} set.
 * A request whose backend work fails closes the connection: the protocol has no error response.
 *
 * <p><b>Threads.</b> One handler per connection; every method runs on the connection's loop.
 *
 * <pre>{@code
 * Offloader offloader = new Offloader("backend", 8, 64);
 * Server.singleAcceptor(pool, ConnectionBalancer.roundRobin(),
 *     counters -> new OffloadingRequestHandler(Backend.REAL, offloader, counters));
 * }</pre>
 */
public final class OffloadingRequestHandler implements ConnectionHandler,
    FrameAssembler.FrameSink {
  /**
   * Set, with {@link RequestFrameDescriptor#FLAG_RESPONSE}, in the flags of the response to a
   * request that was not served because the offloader was full: the service's "503".
   */
  public static final int FLAG_BUSY = 2;

  private final Backend backend;
  private final Offloader offloader;
  private final WorkerCounters counters;
  private final FrameAssembler frames = new FrameAssembler();
  private Connection connection;

  /** A handler for one connection; {@code counters} are its worker's. */
  public OffloadingRequestHandler(Backend backend, Offloader offloader, WorkerCounters counters) {
    this.backend = backend;
    this.offloader = offloader;
    this.counters = counters;
  }

  @Override
  public void onData(Connection connection, ByteBuffer data) {
    this.connection = connection;
    if (frames.feed(data, this) != null) {
      counters.protocolError();
      connection.close();
    }
  }

  @Override
  public boolean onFrame(ByteBuffer b, int offset, int length) {
    long id = RequestFrameDescriptor.requestId(b, offset);
    int kind = RequestFrameDescriptor.kind(b, offset);
    Tracing.requestBegan(id, connection.id(), kind);
    switch (kind) {
      case RequestFrameDescriptor.KIND_ECHO:
        respond(connection, b, offset, length, 0, RequestFrameDescriptor.FLAG_RESPONSE);
        break;
      case RequestFrameDescriptor.KIND_CPU:
      case RequestFrameDescriptor.KIND_SLEEP:
        offload(b, offset, length, kind);
        break;
      default:
        counters.protocolError();
        connection.close();
        return false;
    }
    return !connection.isClosed();
  }

  private void offload(ByteBuffer b, int offset, int length, int kind) {
    long service = RequestFrameDescriptor.serviceNanos(b, offset);
    // A copy: the assembler reuses its buffer for the next frame as soon as we return.
    ByteBuffer frame = ByteBuffer.allocate(length).put(0, b, offset, length);
    Connection c = connection;
    boolean accepted = offloader.offload(() -> backend.serve(kind, service), c.dispatcher(),
        (spent, failure) -> {
          // Back on the loop.
          if (failure != null) {
            c.close();
            return;
          }
          respond(c, frame, 0, length, spent, RequestFrameDescriptor.FLAG_RESPONSE);
        });
    if (!accepted) {
      respond(connection, b, offset, length, 0,
          RequestFrameDescriptor.FLAG_RESPONSE | FLAG_BUSY);
    }
  }

  /** Sends the frame at {@code [offset, offset + length)} back as its response. Loop only. */
  private void respond(Connection c, ByteBuffer b, int offset, int length, long spent,
      int flags) {
    long id = RequestFrameDescriptor.requestId(b, offset);
    RequestFrameDescriptor.markResponse(b, offset, spent);
    b.put(offset + RequestFrameDescriptor.FLAGS_OFFSET, (byte) flags);
    b.limit(offset + length).position(offset);
    c.send(b);
    counters.requestServed();
    Tracing.requestEnded(id, c.id());
  }

  @Override
  public void onClosed(Connection connection, String reason) {}
}
