package io.kallisto.net;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.trace.TracedCallback;
import io.kallisto.trace.Tracing;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One accepted or connected byte stream on one dispatcher: reads into a fixed direct buffer and
 * hands the bytes to a {@link ConnectionHandler}; queues what is sent and writes it as the kernel
 * accepts it.
 *
 * <p><b>Back-pressure.</b> When more than the high watermark waits to be written, the connection
 * stops reading (so a peer that does not read cannot make us buffer without bound) until the
 * backlog drains to the low watermark. Note: this pauses <em>this</em> connection's reads on
 * <em>its own</em> backlog, which suits a server answering its peer; a client that bulk-sends
 * more than its high watermark to an echoing peer must use a higher watermark, or both ends wait
 * for each other.
 *
 * <p><b>Threads.</b> Every method is loop-only except {@link #id()} and {@link #dispatcher()}.
 *
 * <pre>{@code
 * Connection c = new Connection(d, cb -> EpollTransport.accepted(d, fd, cb), new EchoHandler());
 * }</pre>
 */
public final class Connection implements ByteStream {
  /**
   * Reads per readiness callback before yielding to the loop's other work; the rest is read on a
   * later iteration, so one fast peer cannot starve the others.
   */
  static final int MAX_READS_PER_WAKEUP = 16;

  private static final int MIN_OUTBOUND_CAPACITY = 16 * 1024;
  private static final int ALL = FileReadyType.READ | FileReadyType.WRITE | FileReadyType.CLOSED;
  private static final AtomicLong NEXT_ID = new AtomicLong(1);

  private final long id;
  private final Dispatcher dispatcher;
  private final ConnectionHandler handler;
  /** The handler's name for this connection's callback in traces, asked once. */
  private final String traceName;
  private final ConnectionConfig config;
  private final Transport transport;
  private final ByteBuffer readBuffer;
  private final Runnable readAgain = () -> onReady(FileReadyType.READ);

  // The outbound queue: a ring of power-of-two capacity, grown (never shrunk) when a send does
  // not fit. One buffer for the connection's life keeps the transport's address cache hot.
  private ByteBuffer outbound;
  private int outStart;
  private int outSize;

  private boolean writeBlocked; // the kernel said EAGAIN; wait for WRITE before trying again
  private boolean readingPaused;
  private boolean closing; // closeAfterFlush() was called
  private boolean peerClosing; // CLOSED was reported: read to end of stream, short reads or not
  private boolean closed;
  private long pauseCount;
  private long writesBlocked;

  /**
   * Opens a connection with {@link ConnectionConfig#DEFAULT}. Loop-only.
   *
   * @param transportOpener creates the transport, given the readiness callback
   */
  public Connection(Dispatcher dispatcher, Function<FileReadyCallback, Transport> transportOpener,
      ConnectionHandler handler) {
    this(dispatcher, transportOpener, handler, ConnectionConfig.DEFAULT);
  }

  /** Opens a connection with {@code config}. Loop-only. */
  public Connection(Dispatcher dispatcher, Function<FileReadyCallback, Transport> transportOpener,
      ConnectionHandler handler, ConnectionConfig config) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.traceName = handler.traceName();
    this.config = Objects.requireNonNull(config, "config");
    checkLoopThread("new Connection()");
    this.readBuffer = ByteBuffer.allocateDirect(config.readBufferBytes());
    this.transport = transportOpener.apply(new Ready());
    if (config.sendBufferBytes() > 0) {
      transport.setSendBufferSize(config.sendBufferBytes());
    }
    this.id = NEXT_ID.getAndIncrement();
    Tracing.connectionOpened(id, transport.isOutgoing());
    transport.watch(ALL);
  }

  /** This connection's process-wide unique id, as traced. Safe from any thread. */
  @Override
  public long id() {
    return id;
  }

  /** The dispatcher whose loop serves this connection. Safe from any thread. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * Queues a copy of {@code data}'s remaining bytes (consuming them) and writes as much as the
   * kernel takes now. If the peer has gone, the connection closes inside this call.
   *
   * @throws IllegalStateException if the connection is closed or closing after a flush
   */
  @Override
  public void send(ByteBuffer data) {
    checkLoopThread("send()");
    if (closed || closing) {
      throw new IllegalStateException("send() on connection " + id + " that is "
          + (closed ? "closed" : "closing after flush"));
    }
    int n = data.remaining();
    if (n == 0) {
      return;
    }
    enqueue(data, n);
    if (!writeBlocked) {
      try {
        flush();
      } catch (UncheckedIOException e) {
        closeNow(e.getMessage());
        return;
      }
    }
    if (!closed && !readingPaused && outSize > config.highWatermarkBytes()) {
      readingPaused = true;
      pauseCount++;
      updateWatch();
      handler.onAboveHighWatermark(this);
    }
  }

  /** Closes now, dropping bytes not yet written. Idempotent. */
  @Override
  public void close() {
    checkLoopThread("close()");
    closeNow("closed locally");
  }

  /**
   * Stops reading, writes what is queued, then closes (at once if nothing is queued).
   * Idempotent.
   */
  public void closeAfterFlush() {
    checkLoopThread("closeAfterFlush()");
    if (closed || closing) {
      return;
    }
    if (outSize == 0) {
      closeNow("closed after flush");
      return;
    }
    closing = true;
    updateWatch();
  }

  /** True while reading is paused because the outbound backlog passed the high watermark. */
  public boolean readingPaused() {
    checkLoopThread("readingPaused()");
    return readingPaused;
  }

  /** How many times reading was paused by back-pressure. */
  public long pauseCount() {
    checkLoopThread("pauseCount()");
    return pauseCount;
  }

  /**
   * How many times the kernel took less than was queued (a partial write), so the rest waited
   * for the socket to become writable.
   */
  public long writesBlocked() {
    checkLoopThread("writesBlocked()");
    return writesBlocked;
  }

  /** Bytes queued and not yet accepted by the kernel. */
  public int bytesQueued() {
    checkLoopThread("bytesQueued()");
    return outSize;
  }

  /** True once closed, by either side. */
  @Override
  public boolean isClosed() {
    checkLoopThread("isClosed()");
    return closed;
  }

  // ---- loop callbacks ------------------------------------------------------------------------

  /** The readiness callback, named in traces as what it is rather than as a lambda. */
  private final class Ready implements FileReadyCallback, TracedCallback {
    @Override
    public void onReady(int events) {
      Connection.this.onReady(events);
    }

    @Override
    public String traceLabel() {
      return traceName;
    }
  }

  private void onReady(int events) {
    if (closed) {
      return;
    }
    try {
      if ((events & FileReadyType.WRITE) != 0) {
        writeBlocked = false;
        if (outSize > 0) {
          flush();
        }
      }
      // CLOSED is read like READ: bytes the peer sent before closing are still to be delivered,
      // and the read that returns end of stream is what closes us. That edge is not reported
      // again, so from now on every read goes on to the end of the stream.
      if ((events & FileReadyType.CLOSED) != 0) {
        peerClosing = true;
      }
      if ((events & (FileReadyType.READ | FileReadyType.CLOSED)) != 0 && isReading()) {
        readSome();
      }
    } catch (UncheckedIOException e) {
      closeNow(e.getMessage());
    }
  }

  private void readSome() {
    for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
      readBuffer.clear();
      int n = transport.read(readBuffer);
      if (n == 0) {
        return; // drained to EAGAIN: the next edge will tell us about more
      }
      if (n < 0) {
        closeNow("peer closed");
        return;
      }
      // A read that did not fill the buffer took everything the socket held: for a stream
      // socket that means drained (epoll(7), "Do I need to continuously read/write a file
      // descriptor until EAGAIN"), and bytes arriving later raise a new edge. Stopping here
      // saves the read that would only return EAGAIN: one syscall per message on small
      // request/response traffic. Past a reported CLOSED there is no edge left to wait for.
      boolean drained = readBuffer.hasRemaining() && !peerClosing;
      readBuffer.flip();
      handler.onData(this, readBuffer);
      if (!isReading() || drained) {
        return; // drained, or closed, closing or paused by what the handler sent
      }
    }
    // Edge-triggered: no new edge will come for bytes already waiting, so come back ourselves.
    dispatcher.post(readAgain);
  }

  private boolean isReading() {
    return !closed && !closing && !readingPaused;
  }

  // ---- outbound queue ------------------------------------------------------------------------

  private void enqueue(ByteBuffer data, int n) {
    if (outbound == null || outSize + n > outbound.capacity()) {
      grow(outSize + n);
    }
    int mask = outbound.capacity() - 1;
    int tail = (outStart + outSize) & mask;
    int first = Math.min(n, outbound.capacity() - tail);
    int from = data.position();
    outbound.put(tail, data, from, first);
    if (n > first) {
      outbound.put(0, data, from + first, n - first);
    }
    data.position(from + n);
    outSize += n;
  }

  private void grow(int needed) {
    if (needed < 0 || needed > 1 << 30) {
      throw new IllegalStateException("connection " + id + " would queue " + (needed & 0xffffffffL)
          + " bytes; at most 1 GiB may wait to be written");
    }
    int capacity = Math.max(MIN_OUTBOUND_CAPACITY, Integer.highestOneBit(needed - 1) << 1);
    ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
    if (outSize > 0) {
      int first = Math.min(outSize, outbound.capacity() - outStart);
      bigger.put(0, outbound, outStart, first);
      bigger.put(first, outbound, 0, outSize - first);
    }
    outbound = bigger;
    outStart = 0;
  }

  /** Writes until the queue is empty or the kernel is full, then applies the watermarks. */
  private void flush() {
    int capacity = outbound.capacity();
    while (outSize > 0) {
      int end = Math.min(outStart + outSize, capacity);
      outbound.limit(end).position(outStart);
      int n = transport.write(outbound);
      if (n < 0) {
        closeNow("peer closed");
        return;
      }
      if (n == 0) {
        writeBlocked = true;
        writesBlocked++;
        break;
      }
      outStart = (outStart + n) & (capacity - 1);
      outSize -= n;
    }
    outbound.clear(); // absolute puts check against the limit
    if (outSize == 0) {
      outStart = 0;
      if (closing) {
        closeNow("closed after flush");
        return;
      }
    }
    if (readingPaused && outSize <= config.lowWatermarkBytes()) {
      readingPaused = false;
      updateWatch();
      handler.onBelowLowWatermark(this);
    }
  }

  private void updateWatch() {
    // Dropping READ while paused keeps new data from waking us; adding it back re-arms the edge,
    // so bytes that arrived meanwhile are reported.
    transport.watch(isReading() ? ALL : FileReadyType.WRITE | FileReadyType.CLOSED);
  }

  private void closeNow(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    transport.close();
    Tracing.connectionClosed(id, transport.isOutgoing());
    handler.onClosed(this, reason);
  }

  private void checkLoopThread(String method) {
    LoopOnly.check(dispatcher, "Connection", method);
  }
}
