package io.kallisto.exercises.unblock;

import io.kallisto.net.Connection;
import io.kallisto.net.ConnectionHandler;
import io.kallisto.net.FrameAssembler;
import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.net.WorkerCounters;
import java.nio.ByteBuffer;

/**
 * YOUR service, unblocked: serves the request protocol ({@link RequestFrameDescriptor}) on one
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
 *
 * <p>{@link BlockingRequestHandler} is the blocking original: start from it. Keep its tracing
 * (see the README: the trace is part of the grade) and its counting.
 */
public final class OffloadingRequestHandler implements ConnectionHandler,
    FrameAssembler.FrameSink {
  /**
   * Set, with {@link RequestFrameDescriptor#FLAG_RESPONSE}, in the flags of the response to a
   * request that was not served because the offloader was full: the service's "503".
   */
  public static final int FLAG_BUSY = 2;

  /** A handler for one connection; {@code counters} are its worker's. */
  public OffloadingRequestHandler(Backend backend, Offloader offloader, WorkerCounters counters) {
    // TODO: keep what you need
  }

  @Override
  public void onData(Connection connection, ByteBuffer data) {
    throw new UnsupportedOperationException("TODO: onData: assemble frames, serve each");
  }

  @Override
  public boolean onFrame(ByteBuffer b, int offset, int length) {
    throw new UnsupportedOperationException("TODO: onFrame: answer an ECHO now, offload CPU and"
        + " SLEEP");
  }

  @Override
  public void onClosed(Connection connection, String reason) {}
}
