package io.kallisto.exercises.unblock;

import io.kallisto.net.Connection;
import io.kallisto.net.ConnectionHandler;
import io.kallisto.net.FrameAssembler;
import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.net.WorkerCounters;
import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;

/**
 * The service as it is today: correct, and head-of-line blocked. Given for reading: do not
 * change it, and do not call it from your code.
 *
 * <p>One handler per connection, on the connection's loop. Each request of the protocol
 * ({@link RequestFrameDescriptor}) is served where it is read: an ECHO is answered at once, but a
 * CPU or SLEEP request calls the {@link Backend} right here, on the loop thread, so for its whole
 * service time (tens of ms) the loop reads nothing, answers nothing, fires no timer. Every other
 * connection of this loop waits behind it: head-of-line blocking, as in the
 * {@code head-of-line-blocking} scenario and notebook 05.
 *
 * <pre>{@code
 * Server.singleAcceptor(pool, ConnectionBalancer.roundRobin(),
 *     counters -> new BlockingRequestHandler(Backend.REAL, counters));
 * }</pre>
 */
public final class BlockingRequestHandler implements ConnectionHandler, FrameAssembler.FrameSink {
  private final Backend backend;
  private final WorkerCounters counters;
  private final FrameAssembler frames = new FrameAssembler();
  private Connection connection;

  /** A handler for one connection, counting its requests in its worker's {@code counters}. */
  public BlockingRequestHandler(Backend backend, WorkerCounters counters) {
    this.backend = backend;
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
    long spent = 0;
    switch (kind) {
      case RequestFrameDescriptor.KIND_ECHO:
        break;
      case RequestFrameDescriptor.KIND_CPU:
      case RequestFrameDescriptor.KIND_SLEEP:
        // The problem: the loop thread itself waits for the backend.
        spent = backend.serve(kind, RequestFrameDescriptor.serviceNanos(b, offset));
        break;
      default:
        counters.protocolError();
        connection.close();
        return false;
    }
    RequestFrameDescriptor.markResponse(b, offset, spent);
    b.limit(offset + length).position(offset);
    connection.send(b);
    counters.requestServed();
    Tracing.requestEnded(id, connection.id());
    return !connection.isClosed();
  }

  @Override
  public void onClosed(Connection connection, String reason) {}
}
