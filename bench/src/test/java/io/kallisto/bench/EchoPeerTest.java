package io.kallisto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.net.Connection;
import io.kallisto.net.ConnectionHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The echo benchmark's workload, run briefly: every peer's client gets back exactly the bytes it
 * sent over its {@value EchoPeer#CONNECTIONS} connections, and the client's check would notice
 * if it did not.
 */
class EchoPeerTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @Test
  void kallistoEchoesExactBytesForThousandsOfRoundTrips() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (EchoPeer peer = EchoPeer.open(Loops.KALLISTO)) {
        for (int op = 0; op < 3; op++) {
          peer.roundTrips(2_000); // throws if any echoed byte differs from the byte sent
        }
        assertEquals(6_000, peer.latency().getTotalCount());
        assertTrue(peer.latency().getMinValue() > 0);
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {Loops.NETTY_EPOLL, Loops.NETTY_NIO})
  void nettyPeersEchoExactBytes(String kind) {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (EchoPeer peer = EchoPeer.open(kind)) {
        peer.roundTrips(2_000);
        assertEquals(2_000, peer.latency().getTotalCount());
      }
    });
  }

  @Test
  void aServerThatChangesOneByteFailsTheRoundTripsNamingIt() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (EchoPeer peer = new KallistoEcho(new CorruptingEcho(500))) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> peer.roundTrips(2_000));
        assertTrue(e.getMessage().contains("came back as"), e.getMessage());
      }
    });
  }

  @Test
  void anUnknownPeerIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EchoPeer.open(Loops.JDK));
    assertTrue(e.getMessage().contains("netty-epoll"), e.getMessage());
  }

  /** Echoes, but flips one byte: the last of the read that takes the server past n messages. */
  private static final class CorruptingEcho implements ConnectionHandler {
    private long bytesLeft;

    CorruptingEcho(long message) {
      bytesLeft = message * EchoExchange.MESSAGE_BYTES;
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
      ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
      bytesLeft -= copy.remaining();
      if (bytesLeft <= 0 && bytesLeft + copy.remaining() > 0) {
        int last = copy.limit() - 1;
        copy.put(last, (byte) ~copy.get(last));
      }
      c.send(copy);
    }

    @Override
    public void onClosed(Connection c, String reason) {}
  }
}
