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
  /**
   * How the server spends a request's service time. {@link #REAL} spins and parks the thread; the
   * simulation spends virtual time instead.
   */
  public interface Work {
    /** The clock the time spent is measured on, in ns. */
    long now();

    /** Computes for {@code nanos} from {@code start}: the loop's core is busy. */
    void spin(long start, long nanos);

    /** Blocks the loop's thread for {@code nanos} from {@code start}. */
    void block(long start, long nanos);
  }

  /** Real work on the real clock: a busy spin, and a parked thread. */
  public static final Work REAL = new Work() {
    @Override
    public long now() {
      return System.nanoTime();
    }

    @Override
    public void spin(long start, long nanos) {
      RequestServerHandler.spin(start, nanos);
    }

    @Override
    public void block(long start, long nanos) {
      RequestServerHandler.block(start, nanos);
    }
  };

  private final WorkerCounters counters;
  private final Work work;
  private final FrameAssembler frames = new FrameAssembler();
  private ByteStream connection;

  /** A handler for one connection whose requests count towards {@code counters}. */
  public RequestServerHandler(WorkerCounters counters) {
    this(counters, REAL);
  }

  /** As {@link #RequestServerHandler(WorkerCounters)}, spending service time by {@code work}. */
  public RequestServerHandler(WorkerCounters counters, Work work) {
    this.counters = counters;
    this.work = work;
  }

  @Override
  public void onData(Connection connection, ByteBuffer data) {
    onData((ByteStream) connection, data);
  }

  /** Bytes arrived on {@code stream}: serves every complete request among them. */
  public void onData(ByteStream stream, ByteBuffer data) {
    this.connection = stream;
    String error = frames.feed(data, this);
    if (error != null) {
      counters.protocolError();
      stream.close();
    }
  }

  @Override
  public boolean onFrame(ByteBuffer b, int offset, int length) {
    long id = RequestFrameDescriptor.requestId(b, offset);
    long connectionId = connection.id();
    int kind = RequestFrameDescriptor.kind(b, offset);
    Tracing.requestBegan(id, connectionId, kind);
    long start = work.now();
    long service = RequestFrameDescriptor.serviceNanos(b, offset);
    switch (kind) {
      case RequestFrameDescriptor.KIND_ECHO:
        break;
      case RequestFrameDescriptor.KIND_CPU:
        work.spin(start, service);
        break;
      case RequestFrameDescriptor.KIND_SLEEP:
        work.block(start, service);
        break;
      default:
        counters.protocolError();
        connection.close();
        return false;
    }
    RequestFrameDescriptor.markResponse(b, offset, work.now() - start);
    b.limit(offset + length).position(offset);
    // Counted before the send: once the bytes leave, the client may see its answer and a run may
    // read the counters before this thread gets to count it.
    counters.requestServed();
    connection.send(b);
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

  @Override
  public String traceName() {
    return "server connection";
  }
}
