package io.kallisto.bench;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * One client connection's side of the echo: it sends a {@value #MESSAGE_BYTES}-byte message,
 * checks every byte that comes back, and sends the next message only once the whole echo has
 * arrived, so each connection has exactly one message outstanding.
 *
 * <p>Each message carries the connection's index and a sequence number, so that an echo sent to
 * the wrong connection, repeated or stale fails the check instead of passing as a round trip.
 * Client loop thread only. A transport supplies {@link #write}.
 */
abstract class EchoExchange {
  /** The size of every message. */
  static final int MESSAGE_BYTES = 64;

  protected final EchoRounds rounds;
  private final int index;
  /** The message in flight; bytes 0-7 are its sequence number, 8-11 the connection index. */
  private final byte[] message = new byte[MESSAGE_BYTES];
  private long sequence;
  private long sentAt;
  private int received = MESSAGE_BYTES; // nothing outstanding

  EchoExchange(int index, EchoRounds rounds) {
    this.index = index;
    this.rounds = rounds;
    putInt(8, index);
    for (int i = 12; i < MESSAGE_BYTES; i++) {
      message[i] = (byte) (index * 31 + i);
    }
  }

  /** Sends {@code message} whole; the array is reused for the next message once echoed. */
  protected abstract void write(byte[] message);

  /** Sends the next message if the operation has a round trip left to issue. */
  final void sendNextIfDue() {
    if (received != MESSAGE_BYTES) {
      rounds.fail("connection " + index + " was asked to send with " + received + " of "
          + MESSAGE_BYTES + " echoed bytes outstanding");
      return;
    }
    if (!rounds.issue()) {
      return;
    }
    sequence++;
    putInt(0, (int) (sequence >>> 32));
    putInt(4, (int) sequence);
    received = 0;
    sentAt = System.nanoTime();
    try {
      write(message);
    } catch (RuntimeException e) { // a loop only logs what a callback throws; fail the operation
      rounds.fail("connection " + index + " could not send message " + sequence + ": " + e);
    }
  }

  /** Checks echoed bytes from {@code data}'s position to its limit, without consuming them. */
  final void onEchoed(ByteBuffer data) {
    int end = data.limit();
    for (int i = data.position(); i < end; i++) {
      if (!check(data.get(i))) {
        return;
      }
    }
    completeIfWhole();
  }

  /** Checks echoed bytes from {@code data}'s reader index to its writer index. */
  final void onEchoed(ByteBuf data) {
    int end = data.writerIndex();
    for (int i = data.readerIndex(); i < end; i++) {
      if (!check(data.getByte(i))) {
        return;
      }
    }
    completeIfWhole();
  }

  /** Reports that the connection closed; a failure unless the benchmark is closing it. */
  final void onClosed(String reason, boolean expected) {
    if (!expected) {
      rounds.fail("connection " + index + " closed: " + reason);
    }
  }

  private boolean check(byte b) {
    if (received == MESSAGE_BYTES) {
      rounds.fail("connection " + index + " got a byte beyond its " + MESSAGE_BYTES
          + "-byte echo (message " + sequence + ")");
      return false;
    }
    if (b != message[received]) {
      rounds.fail("connection " + index + ", message " + sequence + ": byte " + received
          + " came back as " + b + ", sent " + message[received]);
      return false;
    }
    received++;
    return true;
  }

  private void completeIfWhole() {
    if (received == MESSAGE_BYTES) {
      rounds.completed(System.nanoTime() - sentAt);
      sendNextIfDue();
    }
  }

  private void putInt(int at, int v) {
    message[at] = (byte) (v >>> 24);
    message[at + 1] = (byte) (v >>> 16);
    message[at + 2] = (byte) (v >>> 8);
    message[at + 3] = (byte) v;
  }
}
