package io.kallisto.net;

import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * The server side of the request/response protocol ({@link RequestFrameDescriptor}), one per
 * connection: for each request it does what the request asks on the loop thread (nothing, spin
 * for the service time, or block the thread for it), then sends the frame back as the response.
 *
 * <p>Blocking is deliberate: a {@link RequestFrameDescriptor#KIND_SLEEP} request stalls the whole
 * loop, and every other connection on that worker waits behind it. That is head-of-line blocking,
 * which this protocol exists to show.
 *
 * <p>Every request is traced as begun and ended, and counted in the worker's
 * {@link WorkerCounters}. A frame that breaks the protocol closes the connection.
 */
public final class RequestServerHandler implements ConnectionHandler, FrameAssembler.FrameSink {
  private final WorkerCounters counters;
  private final FrameAssembler frames = new FrameAssembler();
  private Connection connection;

  /** A handler for one connection whose requests count towards {@code counters}. */
  public RequestServerHandler(WorkerCounters counters) {
    this.counters = counters;
  }

  @Override
  public void onData(Connection connection, ByteBuffer data) {
    this.connection = connection;
    String error = frames.feed(data, this);
    if (error != null) {
      counters.protocolError();
      connection.close();
    }
  }

  @Override
  public boolean onFrame(ByteBuffer b, int offset, int length) {
    long id = RequestFrameDescriptor.requestId(b, offset);
    long connectionId = connection.id();
    int kind = RequestFrameDescriptor.kind(b, offset);
    Tracing.requestBegan(id, connectionId, kind);
    long start = System.nanoTime();
    long service = RequestFrameDescriptor.serviceNanos(b, offset);
    switch (kind) {
      case RequestFrameDescriptor.KIND_ECHO:
        break;
      case RequestFrameDescriptor.KIND_CPU:
        spin(start, service);
        break;
      case RequestFrameDescriptor.KIND_SLEEP:
        block(start, service);
        break;
      default:
        counters.protocolError();
        connection.close();
        return false;
    }
    RequestFrameDescriptor.markResponse(b, offset, System.nanoTime() - start);
    b.limit(offset + length).position(offset);
    connection.send(b);
    counters.requestServed();
    Tracing.requestEnded(id, connectionId);
    return !connection.isClosed();
  }

  @Override
  public void onClosed(Connection connection, String reason) {}

  /** Busy CPU work, as a computation would do. */
  static void spin(long start, long nanos) {
    while (System.nanoTime() - start < nanos) {
      Thread.onSpinWait();
    }
  }

  /** Blocks the thread, as a synchronous call (a disk read, a blocking client) would. */
  private static void block(long start, long nanos) {
    long left;
    while ((left = nanos - (System.nanoTime() - start)) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
