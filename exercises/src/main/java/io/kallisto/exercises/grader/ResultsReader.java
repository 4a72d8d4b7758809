package io.kallisto.exercises.grader;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a test JVM's results channel (its fd 1), keeping only the lines the runner signed
 * ({@link ForkChannel#verify}) and counting every other line as a forgery: the student's code
 * can write to fd 1, but cannot sign. Lines longer than
 * {@link ForkChannel#MAX_LINE} are dropped as they stream, so a flood costs bounded memory.
 * Written by its drain thread; read by others under its lock.
 */
final class ResultsReader extends StreamDrain {
  private final ForkChannel channel;
  private final String testClass;
  private final Map<String, ForkChannel.Line> byMethod = new HashMap<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean overlong;
  private boolean hello;
  private long forged;

  /** Starts reading {@code in} (owned: closed at its end), verifying with {@code channel}. */
  ResultsReader(InputStream in, ForkChannel channel, String testClass) {
    super(in, "kallisto-results-" + testClass);
    this.channel = channel;
    this.testClass = testClass;
    start();
  }

  @Override
  void consume(byte[] buf, int n) {
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        append(buf, start, i - start);
        accept(overlong ? null : line.toString(StandardCharsets.UTF_8));
        line.reset();
        overlong = false;
        start = i + 1;
      }
    }
    append(buf, start, n - start);
  }

  @Override
  void finish() {
    if (line.size() > 0 || overlong) {
      accept(null);
    }
  }

  /** Keeps at most a line's worth: past {@link ForkChannel#MAX_LINE} the line is dropped. */
  private void append(byte[] buf, int from, int len) {
    if (overlong || line.size() + len > ForkChannel.MAX_LINE) {
      line.reset();
      overlong = true;
    } else {
      line.write(buf, from, len);
    }
  }

  private synchronized void accept(String text) {
    ForkChannel.Line l = text == null ? null : channel.verify(text);
    if (l == null || !l.testClass().equals(testClass)) {
      forged++;
      return;
    }
    switch (l.status()) {
      case HELLO -> hello = true;
      case DONE -> {
        // The launcher returned: the results before it are all there is.
      }
      default -> byMethod.put(l.method(), l);
    }
  }

  /** The signed result of {@code method}, or null if the runner reported none. */
  synchronized ForkChannel.Line result(String method) {
    return byMethod.get(method);
  }

  /** Whether the runner started: its first signed line arrived. */
  synchronized boolean started() {
    return hello;
  }

  /** Lines on the channel the runner did not sign (or out of sequence, or over-long). */
  synchronized long forged() {
    return forged;
  }
}
