package io.kallisto.load;

import io.kallisto.net.ByteStream;
import io.kallisto.net.FrameAssembler;
import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.net.StreamReceiver;
import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;

/**
 * The client end of one load connection: builds requests, remembers when each was due and sent,
 * and matches responses, which the server returns in request order, against them. Checks every
 * echoed payload byte, so a lost or misplaced byte counts as corrupt rather than passing
 * silently. Loop-only.
 */
final class ClientConnection implements StreamReceiver, FrameAssembler.FrameSink {
  /** Requests a connection may have in flight in open loop before new ones are skipped. */
  static final int MAX_OUTSTANDING = 1 << 16;

  private final LoadThread thread;
  private final FrameAssembler frames = new FrameAssembler();
  private final ByteBuffer request;
  private final int payload;
  private long nextId;
  ByteStream connection;
  boolean lost;
  boolean closing;

  // Outstanding requests, oldest first: a ring of power-of-two capacity.
  private long[] ids = new long[16];
  private long[] due = new long[16];
  private long[] sentAt = new long[16];
  private int head;
  private int size;

  ClientConnection(LoadThread thread, long firstId) {
    this.thread = thread;
    this.nextId = firstId;
    this.payload = thread.workload.payloadBytes();
    this.request = ByteBuffer.allocate(RequestFrameDescriptor.HEADER + payload);
  }

  int outstanding() {
    return size;
  }

  boolean full() {
    return size >= MAX_OUTSTANDING;
  }

  /** Sends the next request drawn from {@code sampler}, due at {@code dueNanos}. */
  void send(long dueNanos, RequestMixSampler sampler) {
    long id = nextId++;
    long service = sampler.next();
    RequestFrameDescriptor.writeRequest(request, 0, sampler.kind(), payload, id, service);
    for (int i = 0; i < payload; i++) {
      request.put(RequestFrameDescriptor.HEADER + i, RequestFrameDescriptor.payloadByte(id, i));
    }
    if (size == ids.length) {
      grow();
    }
    int slot = (head + size) & (ids.length - 1);
    ids[slot] = id;
    due[slot] = dueNanos;
    sentAt[slot] = thread.dispatcher.now();
    size++;
    request.clear();
    Tracing.requestSent(id, connection.id());
    connection.send(request);
  }

  private void grow() {
    int n = ids.length;
    long[] i2 = new long[n * 2];
    long[] d2 = new long[n * 2];
    long[] s2 = new long[n * 2];
    for (int k = 0; k < size; k++) {
      int from = (head + k) & (n - 1);
      i2[k] = ids[from];
      d2[k] = due[from];
      s2[k] = sentAt[from];
    }
    ids = i2;
    due = d2;
    sentAt = s2;
    head = 0;
  }

  @Override
  public void onData(ByteBuffer data) {
    String error = frames.feed(data, this);
    if (error != null) {
      thread.corrupt++;
      connection.close();
    }
  }

  @Override
  public boolean onFrame(ByteBuffer b, int offset, int length) {
    long now = thread.dispatcher.now();
    if (size == 0) {
      thread.corrupt++; // a response nobody asked for
      return true;
    }
    long expected = ids[head];
    long dueAt = due[head];
    long sent = sentAt[head];
    head = (head + 1) & (ids.length - 1);
    size--;
    thread.inFlight--;
    Tracing.responseReceived(expected, connection.id());
    if (!matches(b, offset, length, expected)) {
      thread.corrupt++;
    } else if (thread.measures(dueAt)) {
      thread.measured++;
      thread.latency.recordValue(Math.max(0, now - dueAt));
      thread.serviceLatency.recordValue(Math.max(0, now - sent));
    }
    thread.answeredCount.lazySet(thread.answeredCount.get() + 1);
    thread.onResponse(this);
    return !connection.isClosed();
  }

  private boolean matches(ByteBuffer b, int offset, int length, long expected) {
    if (length != RequestFrameDescriptor.HEADER + payload
        || RequestFrameDescriptor.requestId(b, offset) != expected
        || (RequestFrameDescriptor.flags(b, offset) & RequestFrameDescriptor.FLAG_RESPONSE) == 0) {
      return false;
    }
    int base = offset + RequestFrameDescriptor.HEADER;
    for (int i = 0; i < payload; i++) {
      if (b.get(base + i) != RequestFrameDescriptor.payloadByte(expected, i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void onClosed(String reason) {
    if (closing) {
      return; // closed by the generator at the end of the run
    }
    lost = true;
    thread.onLost(this, reason);
    size = 0;
  }

  @Override
  public String traceName() {
    return "client connection";
  }
}
