package io.kallisto.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter with one writer (the loop thread) and any number of readers. Increments are plain
 * loads and opaque stores: no fence, no lock prefix, so the loop can count every callback for
 * free, while readers on other threads still see whole, eventually fresh values.
 */
final class OpaqueCounter {
  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(OpaqueCounter.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long value;

  /** Adds one. Single writer only. */
  void increment() {
    VALUE.setOpaque(this, value + 1);
  }

  /** Adds {@code delta}. Single writer only. */
  void add(long delta) {
    VALUE.setOpaque(this, value + delta);
  }

  /** The current value. Safe from any thread. */
  long get() {
    return (long) VALUE.getOpaque(this);
  }
}
