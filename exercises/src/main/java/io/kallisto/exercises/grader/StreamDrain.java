package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one pipe from a test JVM to its end on a daemon thread of its own, handing each chunk to
 * {@link #consume}: a JVM writing without pause never blocks on a full pipe, and a descendant
 * that kept the pipe open never keeps the grader alive. Subclasses call {@link #start} last in
 * their constructor; {@link #consume} and {@link #finish} run on the drain thread.
 */
abstract class StreamDrain implements Runnable {
  private final InputStream in;
  private final Thread thread;
  private volatile boolean ended;

  /** @param in owned: closed at its end */
  StreamDrain(InputStream in, String name) {
    this.in = in;
    this.thread = new Thread(this, name);
    thread.setDaemon(true);
  }

  /** Starts draining; once, after the subclass is constructed. */
  final void start() {
    thread.start();
  }

  /** Takes {@code n} bytes of {@code buf}; the buffer is reused after this returns. */
  abstract void consume(byte[] buf, int n);

  /** Called once at the end of the stream, or when it broke. */
  void finish() {}

  @Override
  public final void run() {
    byte[] buf = new byte[65536];
    try (in) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        consume(buf, n);
      }
    } catch (IOException e) {
      // The pipe broke: the JVM is gone. What was read is kept.
    } finally {
      finish();
      ended = true;
    }
  }

  /**
   * Waits up to {@code millis} for the end of the stream; false if it is still open (a process
   * outside the JVM still holds it).
   */
  final boolean await(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ended;
  }
}
