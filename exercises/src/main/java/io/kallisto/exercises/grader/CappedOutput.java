package io.kallisto.exercises.grader;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains one output stream of a test JVM, keeping the first {@code limit} bytes and the last
 * {@link #TAIL} bytes and counting the rest, so that a test that writes gigabytes costs the
 * grader a bounded amount of memory. Written by its drain thread; read by others under its lock.
 */
final class CappedOutput extends StreamDrain {
  /** Bytes kept from the end: where a JVM's last words (an OutOfMemoryError) are. */
  static final int TAIL = 4096;

  private final int limit;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private final byte[] tail = new byte[TAIL];
  private long total;

  /** Starts draining {@code in} (owned: closed at its end). */
  CappedOutput(InputStream in, int limit, String name) {
    super(in, name);
    this.limit = limit;
    start();
  }

  @Override
  synchronized void consume(byte[] buf, int n) {
    int keep = (int) Math.max(0, Math.min(n, limit - total));
    head.write(buf, 0, keep);
    for (int i = Math.max(0, n - TAIL); i < n; i++) {
      tail[(int) ((total + i) % TAIL)] = buf[i];
    }
    total += n;
  }

  /** The bytes written so far, kept or not. */
  synchronized long total() {
    return total;
  }

  /** Whether more was written than kept. */
  synchronized boolean truncated() {
    return total > limit;
  }

  /** The kept head and the last {@link #TAIL} bytes, as text. */
  synchronized String text() {
    String h = head.toString(StandardCharsets.UTF_8);
    if (total <= limit) {
      return h;
    }
    int n = (int) Math.min(TAIL, total - limit);
    byte[] last = new byte[n];
    for (int i = 0; i < n; i++) {
      last[i] = tail[(int) ((total - n + i) % TAIL)];
    }
    return h + "\n[...]\n" + new String(last, StandardCharsets.UTF_8);
  }
}
