package io.kallisto.trace.export;

import static io.kallisto.trace.export.PerfettoTraceDescriptor.PACKET_COMPRESSED_PACKETS;
import static io.kallisto.trace.export.PerfettoTraceDescriptor.TRACE_PACKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class CompressedPacketsTest {
  /** Packets of a few dozen small varint fields, seeded. */
  private static byte[] gather(CompressedPackets bundles, int count, long seed) throws IOException {
    Random random = new Random(seed);
    ProtoScratch packet = new ProtoScratch();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      int fields = 10 + random.nextInt(40);
      for (int f = 0; f < fields; f++) {
        packet.writeUInt64(1 + random.nextInt(12), random.nextInt(300));
      }
      int start = bundles.bundle().size();
      packet.copyTo(bundles.bundle(), TRACE_PACKET);
      all.write(bundles.bundle().buffer(), start, bundles.bundle().size() - start);
      bundles.packetWritten();
    }
    return all.toByteArray();
  }

  private static boolean deflatingThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("kallisto-export-deflate") && t.isAlive());
  }

  @Test
  void bundlesAreWrittenInOrderEachUnder512KbAndInflateToThePacketsGathered() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(file);
      byte[] gathered;
      try (CompressedPackets bundles = new CompressedPackets(out)) {
        gathered = gather(bundles, 20_000, 7);
        bundles.finish();
      }
      out.flush();
      CodedInputStream in = CodedInputStream.newInstance(file.toByteArray());
      ByteArrayOutputStream inflated = new ByteArrayOutputStream();
      int count = 0;
      while (!in.isAtEnd()) {
        assertEquals(TRACE_PACKET, WireFormat.getTagFieldNumber(in.readTag()));
        byte[] packet = in.readByteArray();
        assertTrue(packet.length < 512 * 1024, "a compressed packet is under 512 KB");
        CodedInputStream p = CodedInputStream.newInstance(packet);
        assertEquals(PACKET_COMPRESSED_PACKETS, WireFormat.getTagFieldNumber(p.readTag()));
        byte[] deflated = p.readByteArray();
        assertTrue(p.isAtEnd(), "nothing else in a compressed packet");
        Inflater inflater = new Inflater();
        inflater.setInput(deflated);
        byte[] buf = new byte[1 << 16];
        while (!inflater.finished()) {
          int n = inflater.inflate(buf);
          assertFalse(n == 0 && inflater.needsInput(), "a bundle is one whole zlib stream");
          inflated.write(buf, 0, n);
        }
        inflater.end();
        count++;
      }
      assertTrue(count >= 3, count + " bundles");
      assertArrayEquals(gathered, inflated.toByteArray());
      assertTrue(file.size() < gathered.length, "compressed: " + file.size() + " of "
          + gathered.length);
    });
  }

  @Test
  void aWriteFailureOnTheDeflatingThreadReachesTheExporterAndEndsTheThread() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      OutputStream broken = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          throw new IOException("disk full");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          throw new IOException("disk full");
        }
      };
      CodedOutputStream out = CodedOutputStream.newInstance(broken, 16);
      IOException failure;
      try (CompressedPackets bundles = new CompressedPackets(out)) {
        failure = assertThrows(IOException.class, () -> {
          gather(bundles, 20_000, 11);
          bundles.finish();
        });
      }
      assertEquals("disk full", failure.getMessage());
      assertFalse(deflatingThreadAlive(), "the deflating thread has ended");
    });
  }

  @Test
  void closingWithoutFinishingEndsTheThread() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      CodedOutputStream out = CodedOutputStream.newInstance(new ByteArrayOutputStream());
      try (CompressedPackets bundles = new CompressedPackets(out)) {
        gather(bundles, 5_000, 13);
      }
      assertFalse(deflatingThreadAlive(), "the deflating thread has ended");
    });
  }
}
