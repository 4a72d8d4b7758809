package io.kallisto.trace;

import java.util.Objects;

/**
 * A task with the name a student reads in the trace, for posts and timers whose lambda would
 * otherwise be named after its declaring method.
 *
 * <pre>{@code
 * dispatcher.post(NamedTask.of("watchdog start", () -> stalls.checkTimer(loop)));
 * }</pre>
 *
 * <p>Runs on whichever thread runs it; holds no state of its own.
 */
public final class NamedTask implements Runnable, TracedCallback {
  private final String label;
  private final Runnable body;

  private NamedTask(String label, Runnable body) {
    this.label = Objects.requireNonNull(label, "label");
    this.body = Objects.requireNonNull(body, "body");
  }

  /** {@code body}, labelled {@code label} in traces. */
  public static Runnable of(String label, Runnable body) {
    return new NamedTask(label, body);
  }

  @Override
  public void run() {
    body.run();
  }

  @Override
  public String traceLabel() {
    return label;
  }
}
