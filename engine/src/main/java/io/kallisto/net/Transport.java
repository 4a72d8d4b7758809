package io.kallisto.net;

import io.kallisto.event.FileReadyType;
import java.nio.ByteBuffer;

/**
 * A connected byte stream driven by one dispatcher's loop. The readiness callback is given when
 * the transport is created and runs on that loop with {@link FileReadyType} bits.
 *
 * <p>Nothing above this interface may assume a file descriptor: an NIO backend implements it
 * with a {@code SocketChannel}, which a {@code Selector} watches but an epoll set cannot.
 *
 * <p><b>Threads.</b> Every method is loop-only: while the dispatcher runs, only its loop thread
 * may call, and other threads get {@link IllegalStateException}.
 *
 * <p><b>Ownership.</b> The transport owns its socket and releases it in {@link #close()}.
 */
public interface Transport {
  /**
   * Reads into {@code dst} from its position, advancing it.
   *
   * @return the bytes read; 0 when nothing is available yet (or {@code dst} is full); -1 at end of
   *     stream, or when the peer reset the connection
   */
  int read(ByteBuffer dst);

  /**
   * Writes from {@code src} at its position, advancing it. May write less than remains.
   *
   * @return the bytes written; 0 when the kernel's buffer is full (wait for
   *     {@link FileReadyType#WRITE}); -1 when the peer has gone (reset or broken pipe)
   */
  int write(ByteBuffer src);

  /** Sets which {@link FileReadyType} bits the readiness callback is called for; 0 for none. */
  void watch(int fileReadyEvents);

  /** True if this side connected (a client); false if it was accepted (a server). */
  boolean isOutgoing();

  /** Sets the kernel's send buffer for the socket to about {@code bytes} ({@code SO_SNDBUF}). */
  void setSendBufferSize(int bytes);

  /** Sends end of stream to the peer; reading stays possible. */
  void shutdownOutput();

  /** Stops watching and releases the socket. Idempotent. */
  void close();
}
