package io.kallisto.sim;

import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.net.ByteStream;
import io.kallisto.net.StreamReceiver;
import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One end of a simulated connection: an in-memory byte stream between two simulated loops. Each
 * {@link #send} is one message that reaches the other end whole, at the virtual time the
 * {@link SimNetwork}'s latency and bandwidth give; the receiving loop reads it in a file-event
 * callback (traced like an fd's, with the stream's id in place of the fd). Closing sends an end
 * of stream that arrives after everything sent before it.
 *
 * <p>Each send and each read costs {@link SimulationCosts#ioNanos()} on the loop that makes it.
 * Every method is loop-only, on the owning loop, except {@link #id()}.
 */
public final class SimStream implements ByteStream, FileReadyCallback,
    io.kallisto.trace.TracedCallback {
  private final SimNetwork net;
  private final long id;
  SimStream peer;
  private SimulatedDispatcher owner;
  private StreamReceiver receiver;
  private Message head;
  private Message tail;
  private boolean readScheduled;
  private long linkFreeAt;
  private boolean closed;

  SimStream(SimNetwork net, long id) {
    this.net = net;
    this.id = id;
  }

  /** A message in flight, or, with {@code data == null}, the end of the stream. */
  private static final class Message {
    final byte[] data;
    final long arrival;
    Message next;

    Message(byte[] data, long arrival) {
      this.data = data;
      this.arrival = arrival;
    }
  }

  /** True for the connecting end: its network numbers client ends odd (see SimNetwork). */
  private boolean isClientEnd() {
    return (id & 1) == 1;
  }

  /** Gives this end to {@code loop}: from now on its messages are read there. */
  void attach(SimulatedDispatcher loop, StreamReceiver r) {
    this.owner = Objects.requireNonNull(loop, "loop");
    this.receiver = Objects.requireNonNull(r, "receiver");
    loop.streams(1);
    Tracing.connectionOpened(id, isClientEnd());
    if (head != null) {
      scheduleRead(head.arrival);
    }
  }

  // ByteStream

  @Override
  public long id() {
    return id;
  }

  @Override
  public void send(ByteBuffer data) {
    checkLoop("send()");
    if (closed) {
      throw new IllegalStateException("send() on simulated connection " + id + " that is closed");
    }
    int n = data.remaining();
    if (n == 0) {
      return;
    }
    byte[] copy = new byte[n];
    data.get(copy);
    Simulate.cpu(net.costs().ioNanos()); // the write
    peer.arrive(copy, net.arrival(this, n));
  }

  @Override
  public boolean isClosed() {
    checkLoop("isClosed()");
    return closed;
  }

  @Override
  public void close() {
    checkLoop("close()");
    if (closed) {
      return;
    }
    closeNow("closed locally");
    peer.arrive(null, net.arrival(this, 0));
  }

  // TracedCallback: named as the real connection's callback is, by what it serves

  @Override
  public String traceLabel() {
    return receiver == null ? "connection" : receiver.traceName();
  }

  // FileReadyCallback: the read, on the owning loop

  @Override
  public void onReady(int events) {
    readScheduled = false;
    if (closed) {
      return;
    }
    Simulate.cpu(net.costs().ioNanos()); // the read
    long now = owner.now();
    Message m;
    while ((m = head) != null && m.arrival <= now) {
      head = m.next;
      if (head == null) {
        tail = null;
      }
      if (m.data == null) {
        closeNow("peer closed");
        return;
      }
      receiver.onData(ByteBuffer.wrap(m.data));
      if (closed) {
        return;
      }
    }
    if (head != null) {
      scheduleRead(head.arrival);
    }
  }

  private void arrive(byte[] data, long arrival) {
    Message m = new Message(data, arrival);
    if (tail == null) {
      head = m;
    } else {
      tail.next = m;
    }
    tail = m;
    if (owner != null && !closed && !readScheduled) {
      scheduleRead(arrival);
    }
  }

  private void scheduleRead(long time) {
    readScheduled = true;
    owner.deliver(time, this, FileReadyType.READ, (int) id);
  }

  private void closeNow(String reason) {
    closed = true;
    head = null;
    tail = null;
    if (owner != null) {
      owner.streams(-1);
      Tracing.connectionClosed(id, isClientEnd());
      receiver.onClosed(reason);
    }
  }

  /** When this end's next message may leave, given the bandwidth. */
  long linkFreeAt() {
    return linkFreeAt;
  }

  void linkFreeAt(long time) {
    linkFreeAt = time;
  }

  private void checkLoop(String what) {
    if (owner == null || !owner.isThreadSafe()) {
      throw new IllegalStateException("SimStream." + what + " on connection " + id + " called off"
          + " its loop" + (owner == null ? " (not yet accepted)" : " '" + owner.name() + "'"));
    }
  }
}
