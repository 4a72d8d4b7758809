package io.kallisto.net;

import java.nio.ByteBuffer;

/**
 * One end of a connected byte stream, owned by one dispatcher's loop: what the request protocol's
 * two ends ({@link RequestServerHandler}, the load generator's client connections) need of a
 * connection. {@link Connection} is one over TCP; the simulation has one in memory.
 *
 * <p>Every method is loop-only except {@link #id()}.
 */
public interface ByteStream {
  /** The stream's unique id, as traced. Safe from any thread. */
  long id();

  /**
   * Queues a copy of {@code data}'s remaining bytes (consuming them) to be sent in order. If the
   * peer has gone, the stream closes inside this call.
   *
   * @throws IllegalStateException if the stream is closed
   */
  void send(ByteBuffer data);

  /** True once closed, by either side. */
  boolean isClosed();

  /** Closes now, dropping what is not yet sent. Idempotent. */
  void close();
}
