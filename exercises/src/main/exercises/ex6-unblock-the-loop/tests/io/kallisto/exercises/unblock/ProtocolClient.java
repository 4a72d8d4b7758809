package io.kallisto.exercises.unblock;

import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.trace.Tracing;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blocking client of the request protocol on one TCP connection to 127.0.0.1, for one test
 * thread: sends requests (one at a time or many in one write), reads responses in whatever order
 * they come, and checks each against its request (id, kind, flags, payload byte for byte). Sends
 * and receives are traced as the client side, so a trace of the run joins them with the server's
 * request records. Part of the tests.
 */
final class ProtocolClient implements AutoCloseable {
  /** Request ids are unique in the JVM, so a trace never mixes two requests up. */
  private static final AtomicLong NEXT_ID = new AtomicLong(1);
  /** Client connection ids for the trace, well away from the server's (which count from 1). */
  private static final AtomicLong NEXT_CONNECTION = new AtomicLong(1L << 40);

  /** One request to send. */
  record Request(int kind, long serviceNanos, int payloadBytes) {
    static Request echo() {
      return new Request(RequestFrameDescriptor.KIND_ECHO, 0, 32);
    }

    static Request sleep(Duration d) {
      return new Request(RequestFrameDescriptor.KIND_SLEEP, d.toNanos(), 32);
    }

    static Request cpu(Duration d) {
      return new Request(RequestFrameDescriptor.KIND_CPU, d.toNanos(), 32);
    }
  }

  /**
   * A response as read. {@code problem} is null when it matches its request, or says what is
   * wrong with it; {@code latencyNanos} is from the send to the end of the read.
   */
  record Response(long id, int kind, int flags, long spentNanos, long latencyNanos,
      String problem) {
    boolean busy() {
      return (flags & OffloadingRequestHandler.FLAG_BUSY) != 0;
    }
  }

  private record Sent(int kind, int payloadBytes, long at) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final long traceId = NEXT_CONNECTION.getAndIncrement();
  private final Map<Long, Sent> outstanding = new HashMap<>();

  /** Connects to 127.0.0.1:{@code port}. */
  ProtocolClient(int port) {
    try {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException("could not connect to 127.0.0.1:" + port, e);
    }
  }

  /** Sends one request; returns its id. */
  long send(Request r) {
    return sendAll(List.of(r))[0];
  }

  /** Sends {@code requests} back to back in one write (pipelined); returns their ids. */
  long[] sendAll(List<Request> requests) {
    int bytes = 0;
    for (Request r : requests) {
      bytes += RequestFrameDescriptor.HEADER + r.payloadBytes();
    }
    ByteBuffer b = ByteBuffer.allocate(bytes);
    long[] ids = new long[requests.size()];
    long now = System.nanoTime();
    for (int k = 0; k < ids.length; k++) {
      Request r = requests.get(k);
      long id = NEXT_ID.getAndIncrement();
      ids[k] = id;
      int at = b.position();
      RequestFrameDescriptor.writeRequest(b, at, r.kind(), r.payloadBytes(), id, r.serviceNanos());
      for (int i = 0; i < r.payloadBytes(); i++) {
        b.put(at + RequestFrameDescriptor.HEADER + i, RequestFrameDescriptor.payloadByte(id, i));
      }
      b.position(at + RequestFrameDescriptor.HEADER + r.payloadBytes());
      outstanding.put(id, new Sent(r.kind(), r.payloadBytes(), now));
      Tracing.requestSent(id, traceId);
    }
    try {
      out.write(b.array());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("sending " + ids.length + " request(s) failed", e);
    }
    return ids;
  }

  /**
   * Sends only the 24-byte header of a request whose header claims {@code payloadBytes} (which
   * may be more than the protocol allows); the payload never follows. Returns its id.
   */
  long sendHeaderOnly(int kind, int payloadBytes) {
    ByteBuffer b = ByteBuffer.allocate(RequestFrameDescriptor.HEADER);
    long id = NEXT_ID.getAndIncrement();
    RequestFrameDescriptor.writeRequest(b, 0, kind, payloadBytes, id, 0);
    try {
      out.write(b.array());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("sending a header failed", e);
    }
    return id;
  }

  /** Requests sent and not yet answered. */
  int outstanding() {
    return outstanding.size();
  }

  /**
   * Reads the next response, or returns null if none arrives within {@code timeout}.
   *
   * @throws UncheckedIOException if the server closed the connection, saying so
   */
  Response receive(Duration timeout) {
    byte[] header = new byte[RequestFrameDescriptor.HEADER];
    try {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      try {
        in.readFully(header);
      } catch (SocketTimeoutException none) {
        return null;
      }
      socket.setSoTimeout(10_000); // the rest of a frame that has begun comes at once
      ByteBuffer h = ByteBuffer.wrap(header);
      long length = RequestFrameDescriptor.payloadLength(h, 0);
      if (length > RequestFrameDescriptor.MAX_PAYLOAD) {
        throw new AssertionError("a response header says " + length + " payload bytes: the"
            + " responses are out of step. Was a response built from bytes the loop had already"
            + " reused for the next frame (copy each frame you hand to another thread), or"
            + " written from two threads?");
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      long now = System.nanoTime();
      long id = RequestFrameDescriptor.requestId(h, 0);
      Tracing.responseReceived(id, traceId);
      Sent sent = outstanding.remove(id);
      int kind = RequestFrameDescriptor.kind(h, 0);
      int flags = RequestFrameDescriptor.flags(h, 0);
      long spent = RequestFrameDescriptor.serviceNanos(h, 0);
      String problem = sent == null
          ? "a response for request " + id + ", which this connection did not send or which was"
              + " answered already"
          : check(id, sent, kind, flags, payload);
      return new Response(id, kind, flags, spent, sent == null ? 0 : now - sent.at(), problem);
    } catch (EOFException e) {
      throw new UncheckedIOException("the server closed the connection with "
          + outstanding.size() + " request(s) unanswered", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a response failed: " + e, e);
    }
  }

  private static String check(long id, Sent sent, int kind, int flags, byte[] payload) {
    if ((flags & RequestFrameDescriptor.FLAG_RESPONSE) == 0) {
      return "response " + id + " lacks FLAG_RESPONSE (flags " + flags + ")";
    }
    if (kind != sent.kind()) {
      return "response " + id + " has kind " + kind + ", its request had kind " + sent.kind();
    }
    if (payload.length != sent.payloadBytes()) {
      return "response " + id + " carries " + payload.length + " payload bytes, its request had "
          + sent.payloadBytes();
    }
    for (int i = 0; i < payload.length; i++) {
      if (payload[i] != RequestFrameDescriptor.payloadByte(id, i)) {
        return "response " + id + ": payload byte " + i + " is " + payload[i] + ", expected "
            + RequestFrameDescriptor.payloadByte(id, i) + " (another request's bytes? the frame"
            + " must be copied before the loop reads the next one)";
      }
    }
    return null;
  }

  /**
   * Waits up to {@code timeout} for the server to close the connection; true if it did. Fails
   * if a response arrives instead.
   */
  boolean awaitClosedByServer(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      int b = in.read();
      if (b >= 0) {
        throw new AssertionError("expected the server to close the connection, but it sent a"
            + " response");
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server: closed too
    }
  }

  /**
   * Drops the connection with a reset (RST) instead of an orderly close, as a client that
   * crashes does: the server's next write to it fails.
   */
  void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException("resetting the connection failed", e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
